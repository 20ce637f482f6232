package io.boxer.deathstar.load;

/** The running app answered, but not as the social network must. The message says what was expected. */
public final class VerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }
}
