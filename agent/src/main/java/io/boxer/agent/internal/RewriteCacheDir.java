package io.boxer.agent.internal;

import java.nio.file.Path;

/**
 * Where the agent keeps the classes it rewrote ({@link RewriteCache}), from the environment: {@value #ENV} names
 * the directory or turns the cache off ({@value #OFF}); unset, it is {@code $XDG_CACHE_HOME/boxer/agent}, else
 * {@code $HOME/.cache/boxer/agent}, else there is none. Immutable.
 *
 * @param path the directory, null for no cache
 * @param configured whether {@value #ENV} named it: a directory the user chose is worth a line on stderr when it
 *     cannot be used; a default one that cannot be created (a read-only home) is not
 */
public record RewriteCacheDir(Path path, boolean configured) {

  public static final String ENV = "BOXER_AGENT_CACHE";
  public static final String OFF = "off";
  public static final RewriteCacheDir NONE = new RewriteCacheDir(null, false);

  /**
   * From this process's environment: {@value #ENV}, {@code XDG_CACHE_HOME} and {@code HOME}.
   *
   * @throws IllegalArgumentException as {@link #parse}
   */
  public static RewriteCacheDir fromEnvironment() {
    return parse(System.getenv(ENV), System.getenv("XDG_CACHE_HOME"), System.getenv("HOME"));
  }

  /**
   * @param value {@value #ENV}, null when unset
   * @param xdgCacheHome XDG_CACHE_HOME, null when unset (ignored unless absolute, as the XDG spec says)
   * @param home HOME, null when unset (ignored unless absolute)
   * @throws IllegalArgumentException naming {@value #ENV}, its value and the expectation
   */
  public static RewriteCacheDir parse(String value, String xdgCacheHome, String home) {
    if (value != null) {
      if (value.equals(OFF)) {
        return NONE;
      }
      Path dir = absolute(value);
      if (dir == null) {
        throw new IllegalArgumentException(ENV + " : '" + value + "' (expected: an absolute directory path, or "
            + OFF + ")");
      }
      return new RewriteCacheDir(dir, true);
    }
    Path xdg = absolute(xdgCacheHome);
    if (xdg != null) {
      return new RewriteCacheDir(xdg.resolve("boxer").resolve("agent"), false);
    }
    Path userHome = absolute(home);
    return userHome == null ? NONE
        : new RewriteCacheDir(userHome.resolve(".cache").resolve("boxer").resolve("agent"), false);
  }

  /** {@code value} as an absolute path, or null when it is missing, blank, relative or not a path. */
  private static Path absolute(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      Path p = Path.of(value);
      return p.isAbsolute() ? p.normalize() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
