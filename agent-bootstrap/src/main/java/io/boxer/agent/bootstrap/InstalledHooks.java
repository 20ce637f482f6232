package io.boxer.agent.bootstrap;

/**
 * The hooks the agent installs at premain, kept apart from {@link BoxerHooks} and {@link NativeSocketHooks}:
 * their constants load {@code java.net} classes that the agent rewrites as they load, so installing a hook here
 * initializes neither (they initialize at the first call from a rewritten class, when those classes are loaded
 * anyway). JDK-only, loaded by the boot class loader. Thread-safe (volatile fields).
 */
public final class InstalledHooks {

  static volatile SocketHook socket;
  static volatile NativeSocketHooks.NativeFds nativeFds;

  private InstalledHooks() {}

  /**
   * Installs the hooks, or removes them with nulls.
   *
   * @param socketHook what the calls inserted into the JDK's socket classes (and Netty's) forward to
   * @param fds how Netty's native sockets are seen as JDK file descriptors, null where there are none (not Linux)
   */
  public static void install(SocketHook socketHook, NativeSocketHooks.NativeFds fds) {
    nativeFds = fds;
    socket = socketHook;
  }
}
