package io.boxer.netlab;

/**
 * A lab operation failed at run time: a command exited non-zero or timed out, a precondition is not met,
 * or a lab does not exist.
 *
 * <p>The message is meant for humans and is complete on its own: for a failed command it holds the full
 * command line, its exit code and its stderr, so callers print it as is.
 */
public final class LabException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a complete, human-readable message. */
  public LabException(String message) {
    super(message);
  }

  /** Creates an exception with a complete, human-readable message and its cause. */
  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
