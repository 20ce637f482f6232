package io.boxer.agent.internal;

import java.io.FileDescriptor;
import java.io.IOException;

/**
 * The few operations on JDK socket channels (selectable {@code SocketChannel}s and
 * {@code AsynchronousSocketChannel}s) that a deferred connect needs. Thread-safe.
 */
interface ChannelOps {

  /** Whether {@code channel} is a JDK socket channel of either kind whose file descriptor is {@code fd}. */
  boolean isChannelOf(Object channel, FileDescriptor fd) throws IOException;

  /** The file descriptor of a JDK socket channel of either kind. */
  FileDescriptor fileDescriptor(Object channel) throws IOException;

  /** Whether {@code channel} is an {@code AsynchronousSocketChannel} (else a selectable one). */
  boolean isAsynchronous(Object channel);

  /** Selectable: makes every selector the channel is registered with recompute the events it polls for it. */
  void refreshSelectors(Object channel) throws IOException;

  /**
   * Asynchronous: marks the start of an I/O operation on the channel ({@code begin()}: holds off a close until
   * {@link #endIo}).
   *
   * @throws IOException (ClosedChannelException) when the channel is closed; then no {@link #endIo} (the
   *     implementation has undone what it began)
   */
  void beginIo(Object channel) throws IOException;

  /** Asynchronous: ends what {@link #beginIo} began. */
  void endIo(Object channel);

  /** Asynchronous: registers the channel's pending operations with its group's poller, as the channel does. */
  void updateAsyncEvents(Object channel) throws IOException;
}
