package io.boxer.agent.nio;

import static io.boxer.agent.rewrite.HookArg.RECEIVER;
import static io.boxer.agent.rewrite.HookArg.intConstant;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.rewrite.EntryHook;
import io.boxer.agent.rewrite.MethodHooks;
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
  private static final EntryHook BEFORE_CHANNEL_CONNECT =
      EntryHook.discarding(BoxerHooks.class, "beforeChannelConnect", RECEIVER).swallowingThrowables();
  private static final EntryHook INTEREST_OPS =
      EntryHook.skippingIfNonNegative(BoxerHooks.class, "interestOps", RECEIVER, intConstant(0));
  private static final EntryHook BEFORE_CONNECTED =
      EntryHook.discarding(BoxerHooks.class, "beforeConnected", RECEIVER);

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
              return BEFORE_CHANNEL_CONNECT.at(mv, owner, access, descriptor);
            }
            if (name.equals("updateEvents") && descriptor.equals("()V")) {
              return INTEREST_OPS.at(mv, owner, access, descriptor);
            }
            if (name.equals("setConnected") && descriptor.equals("()V")) {
              return BEFORE_CONNECTED.at(mv, owner, access, descriptor);
            }
            return null;
          }
        });
  }
}
