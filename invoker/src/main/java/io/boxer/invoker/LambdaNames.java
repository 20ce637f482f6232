package io.boxer.invoker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The names the Lambda Invoke API accepts, checked before anything is sent. */
final class LambdaNames {
  /**
   * The Invoke API's documented FunctionName pattern: a name, a partial ARN ({@code 123456789012:function:NAME}) or
   * an ARN, each with an optional {@code :VERSION} or {@code :ALIAS}; 1..170 characters, the name itself at most 64.
   */
  private static final Pattern FUNCTION = Pattern.compile(
      "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?"
          + "(?<name>[a-zA-Z0-9-_.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
  private static final int MAX_FUNCTION = 170;
  private static final int MAX_NAME = 64;
  /** AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1. */
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  private LambdaNames() {}

  /** @throws IllegalArgumentException naming {@code --function}, the value and the expectation */
  static String validateFunction(String function) {
    Matcher matcher = FUNCTION.matcher(function);
    if (function.isEmpty() || function.length() > MAX_FUNCTION || !matcher.matches()
        || matcher.group("name").length() > MAX_NAME) {
      throw new IllegalArgumentException("--function : '" + function + "' (expected: a Lambda function name of 1.."
          + MAX_NAME + " characters of a-z A-Z 0-9 - _ ., or its ARN or partial ARN, at most " + MAX_FUNCTION
          + " characters, optionally with :VERSION or :ALIAS)");
    }
    return function;
  }

  /** @throws IllegalArgumentException naming {@code --region}, the value and the expectation */
  static String validateRegion(String region) {
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("--region : '" + region + "' (expected: an AWS region, e.g. us-east-1)");
    }
    return region;
  }
}
