package io.boxer.deathstar.load;

import java.io.IOException;

/** The frontend answered, but not with 200 and a JSON object. */
public final class FrontendException extends IOException {
  private static final long serialVersionUID = 1L;

  public FrontendException(String message) {
    super(message);
  }
}
