package io.boxer.agent.nio;

import io.boxer.agent.internal.EntryHookVisitor;
import io.boxer.agent.internal.MethodHooks;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What an {@code AsynchronousSocketChannel} connect needs so that priming never blocks its caller: three entry
 * hooks in {@code sun.nio.ch.UnixAsynchronousSocketChannelImpl} (the same methods on JDK 17 and 25).
 * <pre>
 * implConnect(SocketAddress, Object, CompletionHandler): try { BoxerHooks.beforeChannelConnect(this); } catch (Throwable ignored) {}
 * updateEvents():  if (BoxerHooks.interestOps(this, 0) >= 0) return;
 * setConnected():  BoxerHooks.beforeConnected(this);   // may throw the deferred connect's failure
 * </pre>
 * The first tells the {@code Net.connect} hook which channel is connecting. The second keeps the channel out of
 * its group's epoll set while the prime runs: an unconnected socket polls as hung up, and the channel would
 * finish the connect with a native SO_ERROR check that reads 0 and take the socket for connected. The third
 * turns a failed prime into the connect's failure at the one place the channel completes it. No field, method
 * or format change: the class can be retransformed.
 */
public final class AsyncChannelInstrumentation extends JdkClassTransformer {
  public static final String TARGET = "sun.nio.ch.UnixAsynchronousSocketChannelImpl";
  static final String TARGET_INTERNAL = "sun/nio/ch/UnixAsynchronousSocketChannelImpl";
  static final String CONNECT_DESC =
      "(Ljava/net/SocketAddress;Ljava/lang/Object;Ljava/nio/channels/CompletionHandler;)Ljava/util/concurrent/Future;";
  private static final String HOOKS = "io/boxer/agent/bootstrap/BoxerHooks";
  private static final Object[] THIS = {TARGET_INTERNAL};
  private static final int[] LOAD_THIS = {Opcodes.ALOAD, 0};

  public AsyncChannelInstrumentation() {
    super(TARGET_INTERNAL);
  }

  @Override
  void failed(Throwable t) {
    System.err.println("[boxer-agent] asynchronous connects will wait for priming on the calling thread: "
        + "could not instrument " + TARGET + ": " + t);
  }

  @Override
  byte[] rewriteTarget(byte[] classFile) {
    return rewrite(classFile);
  }

  /**
   * The class with the three hooks inserted.
   *
   * @throws IllegalStateException when a method is missing (the message says which)
   */
  public static byte[] rewrite(byte[] classFile) {
    return rewriteMethods(classFile, TARGET, List.of("implConnect" + CONNECT_DESC, "updateEvents()V",
        "setConnected()V"), new MethodHooks() {
          @Override
          protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String name,
              String descriptor) {
            if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) != 0) {
              return null;
            }
            if (name.equals("implConnect") && descriptor.equals(CONNECT_DESC)) {
              return EntryHookVisitor.discarding(mv, new Object[] {TARGET_INTERNAL, "java/net/SocketAddress",
                  "java/lang/Object", "java/nio/channels/CompletionHandler"}, LOAD_THIS, HOOKS,
                  "beforeChannelConnect", "(Ljava/lang/Object;)V", true);
            }
            if (name.equals("updateEvents") && descriptor.equals("()V")) {
              return EntryHookVisitor.skippingIfNonNegative(mv, THIS,
                  new int[] {Opcodes.ALOAD, 0, Opcodes.ICONST_0, -1}, HOOKS, "interestOps", "(Ljava/lang/Object;I)I");
            }
            if (name.equals("setConnected") && descriptor.equals("()V")) {
              return EntryHookVisitor.discarding(mv, THIS, LOAD_THIS, HOOKS, "beforeConnected",
                  "(Ljava/lang/Object;)V", false);
            }
            return null;
          }
        });
  }
}
