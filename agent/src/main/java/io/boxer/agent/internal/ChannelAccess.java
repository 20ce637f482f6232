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
 * {@code private SelectionKey[] AbstractSelectableChannel.keys} and
 * {@code protected abstract void sun.nio.ch.SelectorImpl.setEventOps(SelectionKeyImpl)}, the call with which
 * a key asks its selector to recompute the events it registers. Requires {@code sun.nio.ch} and
 * {@code java.nio.channels.spi} to be open to this module. Thread-safe, immutable.
 */
final class ChannelAccess implements ChannelOps {

  private final Class<?> socketChannelImpl;
  private final MethodHandle getFd;
  private final MethodHandle keys;
  private final MethodHandle setEventOps;

  private ChannelAccess(Class<?> socketChannelImpl, MethodHandle getFd, MethodHandle keys,
      MethodHandle setEventOps) {
    this.socketChannelImpl = socketChannelImpl;
    this.getFd = getFd;
    this.keys = keys;
    this.setEventOps = setEventOps;
  }

  /**
   * Looks the handles up.
   *
   * @throws IllegalStateException when a class or member is missing (the message says which)
   */
  static ChannelAccess create() {
    try {
      Class<?> channel = Class.forName("sun.nio.ch.SocketChannelImpl");
      Class<?> selector = Class.forName("sun.nio.ch.SelectorImpl");
      Class<?> key = Class.forName("sun.nio.ch.SelectionKeyImpl");
      MethodHandle getFd = MethodHandles.privateLookupIn(channel, MethodHandles.lookup())
          .findVirtual(channel, "getFD", MethodType.methodType(FileDescriptor.class))
          .asType(MethodType.methodType(FileDescriptor.class, Object.class));
      MethodHandle keys = MethodHandles.privateLookupIn(AbstractSelectableChannel.class, MethodHandles.lookup())
          .findGetter(AbstractSelectableChannel.class, "keys", SelectionKey[].class)
          .asType(MethodType.methodType(SelectionKey[].class, Object.class));
      MethodHandle setEventOps = MethodHandles.privateLookupIn(selector, MethodHandles.lookup())
          .findVirtual(selector, "setEventOps", MethodType.methodType(void.class, key))
          .asType(MethodType.methodType(void.class, Object.class, Object.class));
      return new ChannelAccess(channel, getFd, keys, setEventOps);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the NIO internals of Java " + Runtime.version()
          + " lack a member the agent needs: " + e, e);
    }
  }

  @Override
  public boolean isChannelOf(Object channel, FileDescriptor fd) throws IOException {
    return socketChannelImpl.isInstance(channel) && fileDescriptor(channel) == fd;
  }

  @Override
  public FileDescriptor fileDescriptor(Object channel) throws IOException {
    try {
      return (FileDescriptor) getFd.invokeExact(channel);
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
      SelectionKey[] registered = (SelectionKey[]) keys.invokeExact(channel);
      if (registered == null) {
        return;
      }
      for (SelectionKey key : registered.clone()) {
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
