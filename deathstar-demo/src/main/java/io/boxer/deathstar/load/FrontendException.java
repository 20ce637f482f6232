package io.boxer.deathstar.load;

import java.io.IOException;

/** The frontend answered, but not with 200 and a JSON object. */
public final class FrontendException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** @param status the HTTP status it answered with (200 when the body was not a JSON object) */
  public FrontendException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /**
   * Whether the answer says "not now" rather than "wrong": a backend call timed out or was unavailable (502, 503,
   * 504), as a deployment whose JVMs just started answers on a busy machine; asking again may succeed.
   */
  public boolean isTransient() {
    return status == 502 || status == 503 || status == 504;
  }
}
