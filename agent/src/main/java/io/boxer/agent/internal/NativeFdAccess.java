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
 * and {@code SO_DOMAIN} through {@link NetAccess}. Requires {@code sun.nio.ch} to be open to this module.
 * Thread-safe, immutable.
 */
final class NativeFdAccess implements NativeSocketHooks.NativeFds {

  private final MethodHandle newFd;
  private final NetAccess net;

  private NativeFdAccess(MethodHandle newFd, NetAccess net) {
    this.newFd = newFd;
    this.net = net;
  }

  /**
   * @throws IllegalStateException when {@code sun.nio.ch.IOUtil} lacks {@code newFD(int)}
   */
  static NativeFdAccess create(NetAccess net) {
    try {
      Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
      MethodHandle newFd = MethodHandles.privateLookupIn(ioUtil, MethodHandles.lookup())
          .findStatic(ioUtil, "newFD", MethodType.methodType(FileDescriptor.class, int.class));
      return new NativeFdAccess(newFd, net);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("sun.nio.ch.IOUtil of Java " + Runtime.version()
          + " lacks newFD(int): " + e, e);
    }
  }

  @Override
  public FileDescriptor fileDescriptor(int fd) throws IOException {
    try {
      return (FileDescriptor) newFd.invokeExact(fd);
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
