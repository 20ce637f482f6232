package io.boxer.agent.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;

/**
 * The few socket operations the hook needs on a JDK socket's file descriptor, the kernel connect of a relayed
 * connect included ({@link RelayConnect.Kernel}). Thread-safe.
 */
interface SocketOps extends RelayConnect.Kernel {

  /** Whether {@code fd} is a stream (TCP) socket, not a datagram socket. */
  boolean isStream(FileDescriptor fd) throws IOException;

  /** Sets SO_REUSEPORT on {@code fd}. */
  void setReusePort(FileDescriptor fd) throws IOException;

  /**
   * Whether binding {@code fd} to {@code address:port} would fail with "Address already in use" if Boxer had not
   * given it SO_REUSEPORT: a socket listens there (or, when {@code fd} has no SO_REUSEADDR, any socket is there),
   * unless the application itself set SO_REUSEPORT on {@code fd}. Binds nothing. Call before {@link #setReusePort}.
   */
  boolean portTaken(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) throws IOException;

  /** The local port of {@code fd}, 0 when unbound. */
  int localPort(FileDescriptor fd) throws IOException;

  /** Binds {@code fd} through the JDK (the caller holds the re-entrancy guard, so this bind is not hooked). */
  void bind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) throws IOException;

  /** Whether {@code fd} is in blocking mode (no O_NONBLOCK). */
  boolean isBlocking(FileDescriptor fd) throws IOException;

  /** Puts {@code fd} in blocking or non-blocking mode. */
  void configureBlocking(FileDescriptor fd, boolean blocking) throws IOException;

  /** Whether {@link #abortConnect} works here (Linux). */
  boolean canAbortConnect();

  /**
   * Ends {@code fd}'s connect in progress without a packet ({@code connect} to {@code AF_UNSPEC}): the socket is
   * unconnected again, a port the kernel chose is released, and the reset this leaves in {@code SO_ERROR} is
   * cleared. The socket can then be bound and connected anew.
   */
  void abortConnect(FileDescriptor fd) throws IOException;
}
