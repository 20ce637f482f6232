package io.boxer.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** How one SDK answer becomes an outcome; the calls themselves are tested through InvokeCommandTest. */
class ParallelInvokerTest {
  @Test
  void fromFailure_putsAMultiLineSdkMessageOnOneLine() {
    FunctionOutcome outcome = ParallelInvoker.fromFailure(4,
        new CompletionException(SdkClientException.create("Acquire took too long.\nConsider:\n  more connections")));

    assertThat(outcome).isEqualTo(new FunctionOutcome.ApiError(4, "SdkClientException",
        "Acquire took too long. Consider: more connections"));
  }

  @Test
  void fromResponse_whatIsNoFunctionRunResult_isAnError_notASuccess() {
    InvokeResponse response = InvokeResponse.builder().statusCode(200)
        .payload(SdkBytes.fromUtf8String("\"hello from another function\"")).build();

    FunctionOutcome outcome = ParallelInvoker.fromResponse(0, response, InvokeMode.REQUEST_RESPONSE);

    assertThat(outcome).isInstanceOf(FunctionOutcome.ApiError.class);
    assertThat(((FunctionOutcome.ApiError) outcome).errorCode()).isEqualTo("InvalidResponse");
    assertThat(outcome.succeeded()).isFalse();
  }

  @Test
  void fromResponse_ofAFunctionErrorThatIsNotJson_keepsTheRawPayloadAsMessage() {
    InvokeResponse response = InvokeResponse.builder().statusCode(200).functionError("Unhandled")
        .payload(SdkBytes.fromUtf8String("Task timed out\nafter 900.00 seconds")).build();

    assertThat(ParallelInvoker.fromResponse(2, response, InvokeMode.REQUEST_RESPONSE))
        .isEqualTo(new FunctionOutcome.FunctionError(2, "Unhandled", "", "Task timed out after 900.00 seconds"));
  }
}
