package io.boxer.agent.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@link ChannelOps} created on first use: looking up the JDK's channel internals loads and links several NIO
 * classes, which premain should not pay for (most applications never connect to a member). If the lookup fails,
 * no channel can be deferred ({@link #isChannelOf} answers false; one line says why) and connects prime on their
 * callers' threads. The other methods are only called for channels that were deferred. Thread-safe.
 */
final class LazyChannelOps implements ChannelOps {
  private final Supplier<ChannelOps> factory;
  private volatile ChannelOps delegate;
  private volatile boolean failed;

  LazyChannelOps(Supplier<ChannelOps> factory) {
    this.factory = factory;
  }

  /** The delegate, created now if needed; null if it cannot be. */
  private ChannelOps delegate() {
    ChannelOps d = delegate;
    if (d != null || failed) {
      return d;
    }
    synchronized (this) {
      if (delegate == null && !failed) {
        try {
          delegate = factory.get();
        } catch (RuntimeException | LinkageError e) {
          failed = true;
          System.err.println("[boxer-agent] non-blocking and asynchronous connects will wait for priming on the "
              + "calling thread: " + e);
        }
      }
      return delegate;
    }
  }

  private ChannelOps required() throws IOException {
    ChannelOps d = delegate();
    if (d == null) {
      throw new IOException("the JDK's channel internals are not available");
    }
    return d;
  }

  @Override
  public boolean isChannelOf(Object channel, FileDescriptor fd) throws IOException {
    ChannelOps d = delegate();
    return d != null && d.isChannelOf(channel, fd);
  }

  @Override
  public FileDescriptor fileDescriptor(Object channel) throws IOException {
    return required().fileDescriptor(channel);
  }

  @Override
  public boolean isAsynchronous(Object channel) {
    ChannelOps d = delegate();
    return d != null && d.isAsynchronous(channel);
  }

  @Override
  public void refreshSelectors(Object channel) throws IOException {
    required().refreshSelectors(channel);
  }

  @Override
  public void beginIo(Object channel) throws IOException {
    required().beginIo(channel);
  }

  @Override
  public void endIo(Object channel) {
    ChannelOps d = delegate();
    if (d != null) {
      d.endIo(channel);
    }
  }

  @Override
  public void updateAsyncEvents(Object channel) throws IOException {
    required().updateAsyncEvents(channel);
  }
}
