package io.boxer.agent.internal;

import io.boxer.agent.netty.UnixSocketInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;

/**
 * The agent's only class transformer, registered at premain: the first time the JVM loads (or retransforms) a
 * class that an instrumentation rewrites, it runs the {@link Activation} once, then hands the class to the
 * instrumentations. So a JVM that never touches the network loads no ASM, no instrumentation and none of the
 * JDK's socket classes because of Boxer, and premain stays cheap; a JVM that does pays the rewrite when its first
 * socket class loads. Every other class costs one hash lookup (boot loader) or three string
 * comparisons (other loaders).
 *
 * <p>Thread-safe: activation runs once, under this object's lock; it must not load any class an instrumentation
 * rewrites (another thread may be loading that class and waiting for the lock). The instrumentations are
 * stateless.
 */
final class ActivatingTransformer implements ClassFileTransformer {

  /** What the first rewritten class needs done before it is rewritten. */
  interface Activation {
    /**
     * Prepares the agent and returns the instrumentations of the JDK's classes (boot loader) and, or null, that
     * of Netty's native sockets (any loader).
     *
     * @throws Exception when the agent cannot run; then no class is rewritten
     */
    ClassFileTransformer[] activate() throws Exception;

    /** Called once if {@link #activate} failed, with its exception. */
    void failed(Throwable t);

    /** Called once, after a successful activation, outside the lock: may start threads. */
    void activated();
  }

  private static final int INACTIVE = 0;
  private static final int ACTIVE = 1;
  private static final int FAILED = 2;

  private final Set<String> jdkTargets;
  private final Set<String> jdkInternalNames;
  private final boolean nativeSockets;
  private final Activation activation;
  private volatile int state = INACTIVE;
  /** The thread inside {@link Activation#activate}: a target class it loads meanwhile loads unchanged. */
  private Thread activating;
  /** The JDK instrumentations, then (last, may be null) Netty's; written before state becomes ACTIVE. */
  private ClassFileTransformer[] instrumentations;

  /**
   * @param jdkTargets binary names ({@code sun.nio.ch.Net}) of the JDK classes (boot loader) that the
   *     instrumentations rewrite
   * @param nativeSockets whether classes of other loaders may concern {@link UnixSocketInstrumentation}
   */
  ActivatingTransformer(Set<String> jdkTargets, boolean nativeSockets, Activation activation) {
    Set<String> internal = new HashSet<>();
    for (String name : jdkTargets) {
      internal.add(name.replace('.', '/'));
    }
    this.jdkTargets = jdkTargets;
    this.jdkInternalNames = internal;
    this.nativeSockets = nativeSockets;
    this.activation = activation;
  }

  /** Whether {@code className} (internal name) of {@code loader} is one the instrumentations may rewrite. */
  boolean concerns(ClassLoader loader, String className) {
    if (className == null) {
      return false;
    }
    return loader == null ? jdkInternalNames.contains(className)
        : nativeSockets && concernsNetty(className);
  }

  /**
   * What {@link UnixSocketInstrumentation} acts on or warns about, by name; its constants are inlined, so this
   * loads no class of it.
   */
  private static boolean concernsNetty(String className) {
    return className.endsWith(UnixSocketInstrumentation.NAME_SUFFIX)
        || className.endsWith(UnixSocketInstrumentation.CHANNEL_SUFFIX)
        || className.contains(UnixSocketInstrumentation.IO_URING_PART);
  }

  /** Whether the boot loader's class {@code binaryName} ({@code sun.nio.ch.Net}) is one the instrumentations rewrite. */
  boolean isJdkTarget(String binaryName) {
    return jdkTargets.contains(binaryName);
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (!concerns(loader, className) || !activated()) {
      return null;
    }
    for (ClassFileTransformer t : instrumentations) {
      if (t == null) {
        continue;
      }
      try {
        byte[] rewritten = t.transform(module, loader, className, classBeingRedefined, protectionDomain,
            classfileBuffer);
        if (rewritten != null) {
          return rewritten;
        }
      } catch (Throwable e) {
        return null; // the instrumentations report their own failures; never throw into the JVM
      }
    }
    return null;
  }

  /** Activates on the first call; true once active, false if activation failed. */
  private boolean activated() {
    int s = state;
    if (s != INACTIVE) {
      return s == ACTIVE;
    }
    boolean first = false;
    synchronized (this) {
      if (activating == Thread.currentThread()) {
        return false;
      }
      if (state == INACTIVE) {
        activating = Thread.currentThread();
        try {
          instrumentations = activation.activate();
          state = ACTIVE;
          first = true;
        } catch (Throwable t) {
          state = FAILED;
          activation.failed(t);
        } finally {
          activating = null;
        }
      }
    }
    if (first) {
      activation.activated();
    }
    return state == ACTIVE;
  }
}
