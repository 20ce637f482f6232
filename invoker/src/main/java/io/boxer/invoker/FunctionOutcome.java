package io.boxer.invoker;

import io.boxer.proto.function.v1.FunctionRunResult;

/** What became of one of the N invocations; {@code index} is its place in invocation order, from 0. */
sealed interface FunctionOutcome {
  int index();

  /** Whether this invocation counts as a success for the exit code. */
  boolean succeeded();

  /** The function ran and returned its result (RequestResponse). */
  record Finished(int index, FunctionRunResult result) implements FunctionOutcome {
    @Override
    public boolean succeeded() {
      return result.getExitCode() == 0;
    }
  }

  /** Lambda queued the event (Event, status 202). */
  record Accepted(int index, String requestId) implements FunctionOutcome {
    @Override
    public boolean succeeded() {
      return true;
    }
  }

  /**
   * The function failed (Lambda's {@code X-Amz-Function-Error}: {@code Handled} or {@code Unhandled}, e.g. a
   * timeout or an exception in the handler), with the error type and message from its error payload.
   */
  record FunctionError(int index, String functionError, String errorType, String message) implements FunctionOutcome {
    @Override
    public boolean succeeded() {
      return false;
    }
  }

  /**
   * Lambda or the network refused the call before the function ran, e.g. ResourceNotFoundException,
   * TooManyRequestsException, a missing credential; or the answer was not a FunctionRunResult.
   */
  record ApiError(int index, String errorCode, String message) implements FunctionOutcome {
    @Override
    public boolean succeeded() {
      return false;
    }
  }
}
