package io.boxer.agent.nio;

import static io.boxer.agent.rewrite.HookArg.parameter;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.rewrite.EntryHook;
import io.boxer.agent.rewrite.MethodHooks;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Lets a connect timeout cover priming: inserts {@code BoxerHooks.connectTimeout(remote, millis)} at the entry
 * of {@code sun.nio.ch.NioSocketImpl.connect(SocketAddress, int)} (the same on JDK 17 and 25), the method behind
 * {@code Socket.connect(address, timeout)}. The hook only notes the deadline for this thread; the prime that
 * {@code Net.connect} triggers next uses it. Three instructions, no branch, so no stack map frame changes.
 * NioSocketImpl loads lazily (with the first socket), so this transformer stays registered and acts at load;
 * every other class costs one string comparison.
 */
public final class ConnectTimeoutInstrumentation extends JdkClassTransformer {
  public static final String TARGET = "sun.nio.ch.NioSocketImpl";
  static final String TARGET_INTERNAL = "sun/nio/ch/NioSocketImpl";
  static final String CONNECT_DESC = "(Ljava/net/SocketAddress;I)V";
  private static final EntryHook CONNECT_TIMEOUT =
      EntryHook.discarding(BoxerHooks.class, "connectTimeout", parameter(0), parameter(1));

  public ConnectTimeoutInstrumentation() {
    super(TARGET_INTERNAL);
  }

  @Override
  byte[] rewriteTarget(byte[] classFile) {
    return rewrite(classFile);
  }

  @Override
  void failed(Throwable t) {
    System.err.println("[boxer-agent] connect timeouts will not cover priming: could not instrument " + TARGET
        + ": " + t);
  }

  /** The class with the timeout hook inserted into {@code connect(SocketAddress, int)}. */
  public static byte[] rewrite(byte[] classFile) {
    return rewriteMethods(classFile, TARGET, List.of("connect" + CONNECT_DESC), new MethodHooks() {
      @Override
      protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String name, String descriptor) {
        if (!name.equals("connect") || !descriptor.equals(CONNECT_DESC) || (access & Opcodes.ACC_STATIC) != 0) {
          return null;
        }
        return CONNECT_TIMEOUT.at(mv, owner, access, descriptor);
      }
    });
  }
}
