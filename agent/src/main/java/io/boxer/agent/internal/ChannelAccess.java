package io.boxer.agent.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;

/**
 * {@link ChannelOps} on the JDK's internals, through method handles (present with these shapes on JDK 17 and
 * 25): {@code public FileDescriptor sun.nio.ch.SocketChannelImpl.getFD()}, the field
 * {@code private SelectionKey[] AbstractSelectableChannel.keys},
 * {@code protected abstract void sun.nio.ch.SelectorImpl.setEventOps(SelectionKeyImpl)} (the call with which a
 * key asks its selector to recompute the events it registers); for asynchronous channels, the field
 * {@code protected final FileDescriptor AsynchronousSocketChannelImpl.fd}, its {@code final void begin()} and
 * {@code end()}, and {@code private void UnixAsynchronousSocketChannelImpl.lockAndUpdateEvents()}. Requires
 * {@code sun.nio.ch} and {@code java.nio.channels.spi} to be open to this module. Thread-safe, immutable.
 */
final class ChannelAccess implements ChannelOps {

  private final Class<?> socketChannelImpl;
  private final MethodHandle getFd;
  private final MethodHandle keys;
  private final MethodHandle keyLock;
  private final MethodHandle setEventOps;
  private final Class<?> asyncChannelImpl;
  private final MethodHandle asyncFd;
  private final MethodHandle begin;
  private final MethodHandle end;
  private final MethodHandle lockAndUpdateEvents;

  private ChannelAccess(Class<?> socketChannelImpl, MethodHandle getFd, MethodHandle keys, MethodHandle keyLock,
      MethodHandle setEventOps, Class<?> asyncChannelImpl, MethodHandle asyncFd, MethodHandle begin,
      MethodHandle end, MethodHandle lockAndUpdateEvents) {
    this.socketChannelImpl = socketChannelImpl;
    this.getFd = getFd;
    this.keys = keys;
    this.keyLock = keyLock;
    this.setEventOps = setEventOps;
    this.asyncChannelImpl = asyncChannelImpl;
    this.asyncFd = asyncFd;
    this.begin = begin;
    this.end = end;
    this.lockAndUpdateEvents = lockAndUpdateEvents;
  }

  /**
   * Looks the handles up.
   *
   * @throws IllegalStateException when a class or member is missing (the message says which)
   */
  static ChannelAccess create() {
    try {
      Class<?> channel = Class.forName("sun.nio.ch.SocketChannelImpl", false, null);
      Class<?> selector = Class.forName("sun.nio.ch.SelectorImpl", false, null);
      Class<?> key = Class.forName("sun.nio.ch.SelectionKeyImpl", false, null);
      MethodHandle getFd = MethodHandles.privateLookupIn(channel, MethodHandles.lookup())
          .findVirtual(channel, "getFD", MethodType.methodType(FileDescriptor.class))
          .asType(MethodType.methodType(FileDescriptor.class, Object.class));
      MethodHandles.Lookup spi = MethodHandles.privateLookupIn(AbstractSelectableChannel.class, MethodHandles.lookup());
      MethodHandle keys = spi.findGetter(AbstractSelectableChannel.class, "keys", SelectionKey[].class)
          .asType(MethodType.methodType(SelectionKey[].class, Object.class));
      MethodHandle keyLock = spi.findGetter(AbstractSelectableChannel.class, "keyLock", Object.class)
          .asType(MethodType.methodType(Object.class, Object.class));
      MethodHandle setEventOps = MethodHandles.privateLookupIn(selector, MethodHandles.lookup())
          .findVirtual(selector, "setEventOps", MethodType.methodType(void.class, key))
          .asType(MethodType.methodType(void.class, Object.class, Object.class));
      // asynchronous channels (Linux: the epoll port's implementation)
      Class<?> async = Class.forName("sun.nio.ch.UnixAsynchronousSocketChannelImpl", false, null);
      Class<?> asyncBase = Class.forName("sun.nio.ch.AsynchronousSocketChannelImpl", false, null);
      MethodHandles.Lookup asyncBaseLookup = MethodHandles.privateLookupIn(asyncBase, MethodHandles.lookup());
      MethodHandle asyncFd = asyncBaseLookup.findGetter(asyncBase, "fd", FileDescriptor.class)
          .asType(MethodType.methodType(FileDescriptor.class, Object.class));
      MethodHandle begin = asyncBaseLookup.findVirtual(asyncBase, "begin", MethodType.methodType(void.class))
          .asType(MethodType.methodType(void.class, Object.class));
      MethodHandle end = asyncBaseLookup.findVirtual(asyncBase, "end", MethodType.methodType(void.class))
          .asType(MethodType.methodType(void.class, Object.class));
      MethodHandle update = MethodHandles.privateLookupIn(async, MethodHandles.lookup())
          .findVirtual(async, "lockAndUpdateEvents", MethodType.methodType(void.class))
          .asType(MethodType.methodType(void.class, Object.class));
      return new ChannelAccess(channel, getFd, keys, keyLock, setEventOps, async, asyncFd, begin, end, update);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the NIO internals of Java " + Runtime.version()
          + " lack a member the agent needs: " + e, e);
    }
  }

  @Override
  public boolean isChannelOf(Object channel, FileDescriptor fd) throws IOException {
    return (socketChannelImpl.isInstance(channel) || asyncChannelImpl.isInstance(channel))
        && fileDescriptor(channel) == fd;
  }

  @Override
  public FileDescriptor fileDescriptor(Object channel) throws IOException {
    try {
      return isAsynchronous(channel) ? (FileDescriptor) asyncFd.invokeExact(channel)
          : (FileDescriptor) getFd.invokeExact(channel);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public boolean isAsynchronous(Object channel) {
    return asyncChannelImpl.isInstance(channel);
  }

  /** The JDK's {@code begin()} takes the close lock before it checks for a closed channel: unlock on failure. */
  @Override
  public void beginIo(Object channel) throws IOException {
    try {
      begin.invokeExact(channel);
    } catch (IOException | RuntimeException | Error e) {
      endIo(channel);
      throw e;
    } catch (Throwable t) {
      endIo(channel);
      throw new IOException(t);
    }
  }

  @Override
  public void endIo(Object channel) {
    try {
      end.invokeExact(channel);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public void updateAsyncEvents(Object channel) throws IOException {
    try {
      lockAndUpdateEvents.invokeExact(channel);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  /** Through the selectors' own update queues, then a wakeup, as a change of interest ops would. */
  @Override
  public void refreshSelectors(Object channel) throws IOException {
    try {
      // under the key lock: a registration in progress (key queued, not yet added) either is seen here or
      // happens after, and then its own update sees the new state
      SelectionKey[] registered;
      synchronized ((Object) keyLock.invokeExact(channel)) {
        registered = (SelectionKey[]) keys.invokeExact(channel);
        registered = registered == null ? null : registered.clone();
      }
      if (registered == null) {
        return;
      }
      for (SelectionKey key : registered) {
        if (key == null || !key.isValid()) {
          continue;
        }
        try {
          setEventOps.invokeExact((Object) key.selector(), (Object) key);
          key.selector().wakeup();
        } catch (RuntimeException closedMeanwhile) {
          // the key was cancelled or its selector closed: nothing polls this channel there any more
        }
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }
}
