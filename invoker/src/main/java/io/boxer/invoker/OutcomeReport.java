package io.boxer.invoker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.boxer.proto.function.v1.FunctionRunResult;
import java.util.List;
import java.util.Map;

/** How {@code boxer invoke} shows the outcomes: one line per function, text for people or JSON for scripts. */
final class OutcomeReport {
  private static final JsonFormat.Printer RESULT_PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

  private OutcomeReport() {}

  /** 0 when every function succeeded (its command exited 0, or its event was accepted), else 1. */
  static int exitCode(List<FunctionOutcome> outcomes) {
    return outcomes.stream().allMatch(FunctionOutcome::succeeded) ? 0 : 1;
  }

  /** e.g. {@code function 0: node 3 at 203.0.113.7, exit 0, deadline not reached: the command exited with code 0}. */
  static String textLine(FunctionOutcome outcome) {
    String prefix = "function " + outcome.index() + ": ";
    if (outcome instanceof FunctionOutcome.Finished finished) {
      FunctionRunResult result = finished.result();
      return prefix + "node " + (result.getNodeId() == 0 ? "-" : Long.toUnsignedString(result.getNodeId()))
          + " at " + (result.getExternalAddress().isEmpty() ? "-" : result.getExternalAddress())
          + ", exit " + result.getExitCode()
          + ", deadline " + (result.getDeadlineReached() ? "reached" : "not reached")
          + ": " + result.getReason();
    }
    if (outcome instanceof FunctionOutcome.Accepted accepted) {
      return prefix + "accepted, request id " + accepted.requestId();
    }
    if (outcome instanceof FunctionOutcome.FunctionError error) {
      return prefix + "function error (" + error.functionError() + ")"
          + (error.errorType().isEmpty() ? "" : " " + error.errorType()) + ": " + error.message();
    }
    FunctionOutcome.ApiError error = (FunctionOutcome.ApiError) outcome;
    return prefix + error.errorCode() + ": " + error.message();
  }

  /**
   * One JSON object: the FunctionRunResult's fields (proto3 JSON mapping, every field present) and {@code index};
   * or {@code index} with {@code requestId}, {@code functionError}/{@code errorType}/{@code errorMessage}, or
   * {@code apiError}/{@code errorMessage}.
   */
  static String jsonLine(FunctionOutcome outcome) {
    JsonObject line = new JsonObject();
    line.addProperty("index", outcome.index());
    if (outcome instanceof FunctionOutcome.Finished finished) {
      for (Map.Entry<String, JsonElement> field : resultJson(finished.result()).entrySet()) {
        line.add(field.getKey(), field.getValue());
      }
    } else if (outcome instanceof FunctionOutcome.Accepted accepted) {
      line.addProperty("requestId", accepted.requestId());
    } else if (outcome instanceof FunctionOutcome.FunctionError error) {
      line.addProperty("functionError", error.functionError());
      line.addProperty("errorType", error.errorType());
      line.addProperty("errorMessage", error.message());
    } else {
      FunctionOutcome.ApiError error = (FunctionOutcome.ApiError) outcome;
      line.addProperty("apiError", error.errorCode());
      line.addProperty("errorMessage", error.message());
    }
    return line.toString();
  }

  private static JsonObject resultJson(FunctionRunResult result) {
    try {
      return JsonParser.parseString(RESULT_PRINTER.print(result)).getAsJsonObject();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a FunctionRunResult has no JSON form", e);
    }
  }
}
