package io.boxer.agent.internal;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;

/**
 * What a deferred connect needs of a Netty epoll channel ({@code AbstractEpollChannel}, any relocation), through
 * reflection on Netty's public API, looked up per class: {@code fd()} (the channel's socket), {@code isOpen()},
 * {@code eventLoop()} (an {@link Executor}), and, on {@code unsafe()}, Netty's own {@code epollOutReady()}, which
 * makes the channel finish its connect as when epoll reports the socket writable. No Netty class is referenced:
 * the agent loads none. Thread-safe.
 */
final class NettyEpollChannels {

  private static final ClassValue<Method> FD = publicMethod("fd");
  private static final ClassValue<Method> IS_OPEN = publicMethod("isOpen");
  private static final ClassValue<Method> EVENT_LOOP = publicMethod("eventLoop");
  private static final ClassValue<Method> UNSAFE = publicMethod("unsafe");
  /** {@code epollOutReady()} declared by the unsafe's class or a superclass (package-private in Netty). */
  private static final ClassValue<Method> EPOLL_OUT_READY = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          Method m = c.getDeclaredMethod("epollOutReady");
          m.setAccessible(true);
          return m;
        } catch (NoSuchMethodException e) {
          // look further up
        } catch (RuntimeException e) {
          return null;
        }
      }
      return null;
    }
  };

  private static ClassValue<Method> publicMethod(String name) {
    return new ClassValue<>() {
      @Override
      protected Method computeValue(Class<?> type) {
        try {
          Method m = type.getMethod(name);
          m.setAccessible(true); // public, but often declared by a package-private Netty class
          return m;
        } catch (NoSuchMethodException | RuntimeException e) {
          return null;
        }
      }
    };
  }

  /** Whether {@code channel} is a Netty epoll channel whose socket is {@code socket}. */
  boolean isChannelOf(Object channel, Object socket) {
    try {
      return channel.getClass().getName().contains(".channel.epoll.") && invoke(FD, channel) == socket
          && EPOLL_OUT_READY.get(invoke(UNSAFE, channel).getClass()) != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  boolean isOpen(Object channel) {
    try {
      return Boolean.TRUE.equals(invoke(IS_OPEN, channel));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Runs {@code task} on the channel's event loop, where Netty does everything the channel does. */
  void execute(Object channel, Runnable task) throws IOException {
    ((Executor) invoke(EVENT_LOOP, channel)).execute(task);
  }

  /** On the event loop: makes Netty finish the channel's pending connect now (it calls Socket.finishConnect). */
  void finishConnectNow(Object channel) throws IOException {
    Object unsafe = invoke(UNSAFE, channel);
    Method ready = EPOLL_OUT_READY.get(unsafe.getClass());
    if (ready == null) {
      throw new IOException(unsafe.getClass().getName() + " has no epollOutReady()");
    }
    try {
      ready.invoke(unsafe);
    } catch (IllegalAccessException e) {
      throw new IOException(e);
    } catch (InvocationTargetException e) {
      throw new IOException(e.getCause());
    }
  }

  private static Object invoke(ClassValue<Method> method, Object target) throws IOException {
    Method m = method.get(target.getClass());
    if (m == null) {
      throw new IOException(target.getClass().getName() + " is not a Netty channel of the expected shape");
    }
    try {
      return m.invoke(target);
    } catch (IllegalAccessException e) {
      throw new IOException(e);
    } catch (InvocationTargetException e) {
      throw new IOException(e.getCause());
    }
  }
}
