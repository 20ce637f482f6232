package io.boxer.agent.internal;

import java.io.FileDescriptor;
import java.io.IOException;

/** The few operations on JDK socket channels and their selectors that a deferred connect needs. Thread-safe. */
interface ChannelOps {

  /** Whether {@code channel} is a JDK {@code SocketChannel} whose file descriptor is {@code fd}. */
  boolean isChannelOf(Object channel, FileDescriptor fd) throws IOException;

  /** The file descriptor of a JDK {@code SocketChannel}. */
  FileDescriptor fileDescriptor(Object channel) throws IOException;

  /** Makes every selector {@code channel} is registered with recompute the events it polls for it. */
  void refreshSelectors(Object channel) throws IOException;
}
