package io.boxer.agent.nio;

import static io.boxer.agent.rewrite.HookArg.RECEIVER;
import static io.boxer.agent.rewrite.HookArg.parameter;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.rewrite.EntryHook;
import io.boxer.agent.rewrite.MethodHooks;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a non-blocking {@code SocketChannel} connect needs so that priming never blocks its caller: two entry
 * hooks in {@code sun.nio.ch.SocketChannelImpl} (the same methods on JDK 17 and 25).
 * <pre>
 * connect(SocketAddress):   try { BoxerHooks.beforeChannelConnect(this); } catch (Throwable ignored) {}
 * translateInterestOps(int): int r = BoxerHooks.interestOps(this, ops); if (r >= 0) return r;
 * </pre>
 * The first tells the {@code Net.connect} hook which channel is connecting (only a non-blocking channel's
 * connect is deferred). The second keeps a channel whose connect is deferred out of its selectors' epoll sets
 * until the kernel connect is issued: an unconnected TCP socket polls as writable and hung up, so a selector
 * would otherwise report {@code OP_CONNECT} at once, and frameworks such as Netty treat a {@code finishConnect}
 * that then returns false as a fatal error. No field, method or format change: the class can be retransformed.
 */
public final class SocketChannelInstrumentation extends JdkClassTransformer {
  public static final String TARGET = "sun.nio.ch.SocketChannelImpl";
  static final String TARGET_INTERNAL = "sun/nio/ch/SocketChannelImpl";
  static final String CONNECT_DESC = "(Ljava/net/SocketAddress;)Z";
  static final String INTEREST_DESC = "(I)I";
  private static final EntryHook BEFORE_CHANNEL_CONNECT =
      EntryHook.discarding(BoxerHooks.class, "beforeChannelConnect", RECEIVER).swallowingThrowables();
  private static final EntryHook INTEREST_OPS =
      EntryHook.returningIfNonNegative(BoxerHooks.class, "interestOps", RECEIVER, parameter(0));

  public SocketChannelInstrumentation() {
    super(TARGET_INTERNAL);
  }

  @Override
  void failed(Throwable t) {
    System.err.println("[boxer-agent] non-blocking connects will wait for priming on the calling thread: "
        + "could not instrument " + TARGET + ": " + t);
  }

  @Override
  byte[] rewriteTarget(byte[] classFile) {
    return rewrite(classFile);
  }

  /**
   * The class with both hooks inserted.
   *
   * @throws IllegalStateException when a method is missing (the message says which)
   */
  public static byte[] rewrite(byte[] classFile) {
    return rewriteMethods(classFile, TARGET, List.of("connect" + CONNECT_DESC,
        "translateInterestOps" + INTEREST_DESC), new MethodHooks() {
          @Override
          protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String name,
              String descriptor) {
            if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) != 0) {
              return null;
            }
            if (name.equals("connect") && descriptor.equals(CONNECT_DESC)) {
              return BEFORE_CHANNEL_CONNECT.at(mv, owner, access, descriptor);
            }
            if (name.equals("translateInterestOps") && descriptor.equals(INTEREST_DESC)) {
              return INTEREST_OPS.at(mv, owner, access, descriptor);
            }
            return null;
          }
        });
  }
}
