package io.boxer.invoker;

import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * How the functions are invoked, with the payload bound Lambda documents for each (the Invoke API refuses a
 * larger request with RequestTooLargeException, 413).
 */
enum InvokeMode {
  /** Wait for each function's response (its FunctionRunResult): Lambda answers 200 when the function ends. */
  REQUEST_RESPONSE(InvocationType.REQUEST_RESPONSE, 6 * 1024 * 1024, "6 MB"),
  /** Fire and forget: Lambda queues the event and answers 202 at once. */
  EVENT(InvocationType.EVENT, 1024 * 1024, "1 MB");

  private final InvocationType invocationType;
  private final int maxPayloadBytes;
  private final String documentedLimit;

  InvokeMode(InvocationType invocationType, int maxPayloadBytes, String documentedLimit) {
    this.invocationType = invocationType;
    this.maxPayloadBytes = maxPayloadBytes;
    this.documentedLimit = documentedLimit;
  }

  InvocationType invocationType() {
    return invocationType;
  }

  /**
   * Checks that Lambda accepts a payload of this size for this invocation type.
   *
   * @throws IllegalArgumentException naming the size and the limit
   */
  void checkPayloadSize(int bytes) {
    if (bytes > maxPayloadBytes) {
      throw new IllegalArgumentException("payload : " + bytes + " bytes (expected: at most " + maxPayloadBytes
          + ", Lambda's " + documentedLimit + " limit for " + invocationType + " invocations; shorten --env values "
          + "or the command)");
    }
  }
}
