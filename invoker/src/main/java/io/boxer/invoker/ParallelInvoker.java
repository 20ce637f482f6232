package io.boxer.invoker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.boxer.proto.function.v1.FunctionRunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Starts N invocations of one function with the same payload, all at once, and collects what became of each. The
 * client is not owned: the caller closes it.
 */
final class ParallelInvoker {
  private static final JsonFormat.Parser RESULT_PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final LambdaAsyncClient client;

  ParallelInvoker(LambdaAsyncClient client) {
    this.client = client;
  }

  /**
   * Sends all {@code count} requests before waiting for any answer, then waits for all of them (each bounded by
   * the client's API-call timeout).
   *
   * @return one outcome per invocation, in invocation order
   * @throws InterruptedException if interrupted while waiting; the calls still in flight are cancelled
   */
  List<FunctionOutcome> invokeAll(String function, int count, byte[] payload, InvokeMode mode)
      throws InterruptedException {
    SdkBytes body = SdkBytes.fromByteArray(payload);
    List<CompletableFuture<FunctionOutcome>> calls = new ArrayList<>(count);
    List<CompletableFuture<InvokeResponse>> sdkCalls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int index = i;
      InvokeRequest request = InvokeRequest.builder()
          .functionName(function)
          .invocationType(mode.invocationType())
          .payload(body)
          .build();
      CompletableFuture<InvokeResponse> call;
      try {
        call = client.invoke(request);
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      sdkCalls.add(call);
      calls.add(call.handle((response, failure) ->
          failure == null ? fromResponse(index, response, mode) : fromFailure(index, failure)));
    }
    List<FunctionOutcome> outcomes = new ArrayList<>(count);
    try {
      for (CompletableFuture<FunctionOutcome> call : calls) {
        outcomes.add(call.get());
      }
    } catch (InterruptedException e) {
      sdkCalls.forEach(call -> call.cancel(true)); // the SDK's own futures: cancelling them aborts the requests
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("an outcome could not be formed", e.getCause());
    }
    return outcomes;
  }

  static FunctionOutcome fromResponse(int index, InvokeResponse response, InvokeMode mode) {
    if (mode == InvokeMode.EVENT) {
      return new FunctionOutcome.Accepted(index, response.responseMetadata().requestId());
    }
    String payload = response.payload() == null ? "" : response.payload().asUtf8String();
    if (response.functionError() != null) {
      return functionError(index, response.functionError(), payload);
    }
    FunctionRunResult.Builder result = FunctionRunResult.newBuilder();
    try {
      RESULT_PARSER.merge(payload, result);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return new FunctionOutcome.ApiError(index, "InvalidResponse",
          "the function's response is not a FunctionRunResult (" + e.getMessage() + "); is --function a Boxer function?");
    }
    return new FunctionOutcome.Finished(index, result.build());
  }

  /** A function error: Lambda's error payload is {"errorType": ..., "errorMessage": ..., ...}. */
  private static FunctionOutcome functionError(int index, String kind, String payload) {
    String type = "";
    String message = payload;
    try {
      JsonElement parsed = JsonParser.parseString(payload);
      if (parsed.isJsonObject()) {
        JsonObject error = parsed.getAsJsonObject();
        type = stringField(error, "errorType");
        message = stringField(error, "errorMessage");
      }
    } catch (JsonParseException e) {
      // not JSON: the raw payload is the message
    }
    return new FunctionOutcome.FunctionError(index, kind, type, oneLine(message));
  }

  private static String stringField(JsonObject object, String name) {
    JsonElement value = object.get(name);
    return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
  }

  static FunctionOutcome fromFailure(int index, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails().errorMessage();
      return new FunctionOutcome.ApiError(index,
          code == null ? "HTTP " + service.statusCode() : code,
          oneLine(message == null ? service.getMessage() : message));
    }
    return new FunctionOutcome.ApiError(index, cause.getClass().getSimpleName(), oneLine(cause.getMessage()));
  }

  /** Messages go on one output line per function: the SDK's span several. */
  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
