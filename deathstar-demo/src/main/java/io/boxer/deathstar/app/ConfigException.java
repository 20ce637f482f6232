package io.boxer.deathstar.app;

/** A service config that cannot be used: a missing, unknown or invalid key. The CLI maps it to exit code 2. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
