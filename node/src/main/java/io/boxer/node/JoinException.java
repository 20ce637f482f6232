package io.boxer.node;

/**
 * A node could not join the cluster. {@link #rejected()} tells whether the seed refused it (retrying is
 * pointless, e.g. another member already has this external address) or could not be reached in time.
 */
public final class JoinException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean rejected;

  public JoinException(String message, boolean rejected, Throwable cause) {
    super(message, cause);
    this.rejected = rejected;
  }

  public boolean rejected() {
    return rejected;
  }
}
