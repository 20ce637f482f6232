package io.boxer.agent.internal;

import io.boxer.agent.netty.UnixSocketInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;

/**
 * The agent's only class transformer, registered at premain: the first time the JVM loads (or retransforms) a
 * class that an instrumentation rewrites, it runs the {@link Activation} once, then hands the class to the
 * {@link RewriteCache} and, when that has no entry for it, to the instrumentations. So a JVM that never touches
 * the network loads no ASM, no instrumentation and none of the JDK's socket classes because of Boxer, and premain
 * stays cheap; a JVM that does pays the activation when its first socket class loads, and the rewrite (ASM) only
 * for classes the cache does not hold. Every other class costs one hash lookup (boot loader) or three string
 * comparisons (other loaders).
 *
 * <p>Thread-safe: activation and building the instrumentations run once, under this object's lock; neither may
 * load a class an instrumentation rewrites (another thread may be loading that class and waiting for the lock):
 * such a class, loaded by the thread holding the lock for either, loads unchanged. The instrumentations are
 * stateless.
 */
final class ActivatingTransformer implements ClassFileTransformer {

  /** What the first rewritten class needs done before it is rewritten. */
  interface Activation {
    /**
     * Prepares the agent (the hooks the rewritten classes call).
     *
     * @return the cache of rewritten classes, or null for none
     * @throws Exception when the agent cannot run; then no class is rewritten
     */
    RewriteCache activate() throws Exception;

    /**
     * The instrumentations of the JDK's classes (boot loader) and, last or null, that of Netty's native sockets
     * (any loader). Called once, after {@link #activate}, when the first class the cache does not hold loads.
     *
     * @throws Exception when they cannot be built; then no class is rewritten from then on
     */
    ClassFileTransformer[] instrumentations() throws Exception;

    /** Called once if {@link #activate} or {@link #instrumentations} failed, with its exception. */
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
  /**
   * The thread inside {@link Activation#activate} or {@link Activation#instrumentations}: a target class it loads
   * meanwhile loads unchanged.
   */
  private Thread activating;
  /** Written before state becomes ACTIVE; null for no cache. */
  private RewriteCache cache;
  /** Built at the first miss of the cache: the JDK instrumentations, then (last, may be null) Netty's. */
  private volatile ClassFileTransformer[] instrumentations;

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
    RewriteCache c = cache;
    if (c != null) {
      byte[] cached = c.find(className, classfileBuffer);
      if (cached != null) {
        return cached;
      }
    }
    byte[] rewritten = rewrite(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    if (rewritten != null && c != null) {
      c.store(className, classfileBuffer, rewritten);
    }
    return rewritten;
  }

  private byte[] rewrite(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    ClassFileTransformer[] all = instrumentations();
    if (all == null) {
      return null;
    }
    for (ClassFileTransformer t : all) {
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

  /** The instrumentations, built on the first call; null if they could not be, or while this thread builds them. */
  private ClassFileTransformer[] instrumentations() {
    ClassFileTransformer[] built = instrumentations;
    if (built != null) {
      return built;
    }
    synchronized (this) {
      if (activating == Thread.currentThread() || state != ACTIVE) {
        return null;
      }
      if (instrumentations == null) {
        activating = Thread.currentThread();
        try {
          instrumentations = activation.instrumentations();
        } catch (Throwable t) {
          state = FAILED;
          activation.failed(t);
        } finally {
          activating = null;
        }
      }
      return instrumentations;
    }
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
          cache = activation.activate();
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
