package io.boxer.agent.nio;

import io.boxer.agent.rewrite.MethodHooks;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A transformer of one JDK class (boot loader only), by internal name: the guard, the bookkeeping and the
 * "never throw into the JVM" rule that every JDK instrumentation of the agent shares, and the method-by-method
 * rewrite they all use ({@link #rewriteMethods}). Subclasses supply the hooks. Thread-safe for the JVM's calls
 * (the result fields are volatile).
 */
abstract class JdkClassTransformer implements ClassFileTransformer {
  private final String targetInternal;
  private volatile boolean transformed;
  private volatile String error;

  JdkClassTransformer(String targetInternal) {
    this.targetInternal = targetInternal;
  }

  /** The class's bytes, rewritten; throws when the class does not have the expected shape. */
  abstract byte[] rewriteTarget(byte[] classFile);

  /** Called once when the rewrite fails (the class then loads unchanged); by default records it only. */
  void failed(Throwable t) {}

  /** Whether the JVM handed the class to this transformer and it was rewritten. */
  public final boolean transformed() {
    return transformed;
  }

  /** Why the class could not be rewritten, or null. */
  public final String error() {
    return error;
  }

  @Override
  public final byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (loader != null || !targetInternal.equals(className)) {
      return null;
    }
    try {
      byte[] rewritten = rewriteTarget(classfileBuffer);
      transformed = true;
      return rewritten;
    } catch (Throwable t) {
      error = t.toString();
      failed(t);
      return null;
    }
  }

  /**
   * {@code classFile} with {@code hooks} applied to its methods.
   *
   * @param expected every method that must be hooked, as name + descriptor
   * @throws IllegalStateException naming the expected methods the class does not have
   */
  static byte[] rewriteMethods(byte[] classFile, String className, List<String> expected, MethodHooks hooks) {
    Set<String> found = new HashSet<>();
    byte[] rewritten = hooks.apply(classFile, found);
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(found);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(className + " has no " + String.join(" ", missing));
    }
    return rewritten;
  }
}
