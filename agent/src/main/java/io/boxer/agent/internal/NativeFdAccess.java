package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.NativeSocketHooks;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.ProtocolFamily;

/**
 * {@link NativeSocketHooks.NativeFds} for Linux: {@code public static FileDescriptor newFD(int)} of
 * {@code sun.nio.ch.IOUtil} (JDK 17 and 25; it registers no cleaner, so the descriptor stays Netty's to close)
 * and {@code SO_DOMAIN} through {@link NetAccess}. Requires {@code sun.nio.ch} to be open to this module at the
 * first call. Thread-safe.
 */
final class NativeFdAccess implements NativeSocketHooks.NativeFds {

  private final NetAccess net;
  /** Looked up at the first Netty socket: not at premain, when sun.nio.ch is not open to the agent yet. */
  private volatile MethodHandle newFd;

  NativeFdAccess(NetAccess net) {
    this.net = net;
  }

  /**
   * @throws IllegalStateException when {@code sun.nio.ch.IOUtil} lacks {@code newFD(int)}
   */
  private MethodHandle newFd() {
    MethodHandle h = newFd;
    if (h == null) {
      try {
        Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
        h = MethodHandles.privateLookupIn(ioUtil, MethodHandles.lookup())
            .findStatic(ioUtil, "newFD", MethodType.methodType(FileDescriptor.class, int.class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("sun.nio.ch.IOUtil of Java " + Runtime.version()
            + " lacks newFD(int): " + e, e);
      }
      newFd = h; // a race looks it up twice, harmlessly
    }
    return h;
  }

  @Override
  public FileDescriptor fileDescriptor(int fd) throws IOException {
    try {
      return (FileDescriptor) newFd().invokeExact(fd);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public ProtocolFamily family(FileDescriptor fd) throws IOException {
    return net.family(fd);
  }
}
