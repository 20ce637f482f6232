package io.boxer.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LambdaNamesTest {
  @Test
  void validateFunction_acceptsEveryFormTheInvokeApiDocuments() {
    for (String function : new String[] {
        "boxer-node", "boxer_node.v2", "boxer-node:live", "boxer-node:$LATEST", "boxer-node:7",
        "123456789012:function:boxer-node", "arn:aws:lambda:us-east-1:123456789012:function:boxer-node",
        "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:boxer-node:live", "f".repeat(64)}) {
      assertThat(LambdaNames.validateFunction(function)).isEqualTo(function);
    }
  }

  @Test
  void validateFunction_refusesWhatLambdaWouldRefuse() {
    for (String function : new String[] {
        "", "boxer node", "boxer/node", "f".repeat(65), "boxer-node:live:extra", "arn:aws:s3:::bucket",
        "arn:aws:lambda:us-east-1:123456789012:function:" + "f".repeat(120)}) {
      assertThatThrownBy(() -> LambdaNames.validateFunction(function)).as(function)
          .hasMessageStartingWith("--function : '" + function + "'");
    }
  }

  @Test
  void validateRegion_acceptsAwsRegionNamesOnly() {
    for (String region : new String[] {"us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "ap-southeast-5"}) {
      assertThat(LambdaNames.validateRegion(region)).isEqualTo(region);
    }
    for (String region : new String[] {"", "US-EAST-1", "us-east", "useast1", "us-east-1a"}) {
      assertThatThrownBy(() -> LambdaNames.validateRegion(region)).hasMessageStartingWith("--region : '" + region + "'");
    }
  }
}
