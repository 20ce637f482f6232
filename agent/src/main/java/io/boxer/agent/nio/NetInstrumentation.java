package io.boxer.agent.nio;

import static io.boxer.agent.rewrite.HookArg.parameter;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.rewrite.EntryHook;
import io.boxer.agent.rewrite.MethodHooks;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The JDK instrumentation of the agent (Netty's native sockets have their own,
 * {@code io.boxer.agent.netty.UnixSocketInstrumentation}): {@code sun.nio.ch.Net}, the methods
 * {@code static int connect(ProtocolFamily, FileDescriptor, InetAddress, int)} and
 * {@code static void bind(ProtocolFamily, FileDescriptor, InetAddress, int)} (the same on JDK 17 and 25; all
 * other connect/bind overloads of Net delegate to these two), and {@code static boolean
 * pollConnectNow(FileDescriptor)}, which every non-blocking connect of the JDK polls to learn whether it is
 * done. At the entry of each it inserts a call of {@link BoxerHooks} (boot class path):
 * <pre>
 * connect: address = BoxerHooks.beforeConnect(family, fd, address, port);   // may throw ConnectException
 *          if (address == BoxerHooks.DEFERRED_CONNECT) return IOStatus.UNAVAILABLE;  // -2: "in progress"
 * bind:    try { address = BoxerHooks.beforeBind(family, fd, address, port); } catch (Throwable ignored) {}
 * pollConnectNow: int r = BoxerHooks.pollConnect(fd); if (r >= 0) return r != 0;   // may throw IOException
 * </pre>
 * The deferred connect (see {@code DeferredConnects} in the agent) is what lets a non-blocking connect return
 * at once while the prime is in flight. Nothing else of the class changes (no fields, no methods, no format
 * changes), so it can be retransformed.
 *
 * <p>The bytes are rewritten with ASM ({@code COMPUTE_MAXS} only: no class is loaded or resolved while
 * rewriting); {@link EntryHook} writes the stack map frames of the inserted branches by hand.
 *
 * <p>A transformer instance rewrites Net once; use {@link #transformed()} and {@link #error()} afterwards.
 */
public final class NetInstrumentation extends JdkClassTransformer {

  public static final String TARGET = "sun.nio.ch.Net";

  static final String TARGET_INTERNAL = "sun/nio/ch/Net";
  static final String ARGS = "(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/InetAddress;I)";
  static final String CONNECT_DESC = ARGS + "I";
  static final String BIND_DESC = ARGS + "V";
  static final String POLL_CONNECT_DESC = "(Ljava/io/FileDescriptor;)Z";
  /** sun.nio.ch.IOStatus.UNAVAILABLE: what a non-blocking connect returns while the connection is pending. */
  static final int UNAVAILABLE = -2;
  /** The parameter (address) that the connect and bind hooks replace with the address the kernel should use. */
  private static final int ADDRESS = 2;
  private static final EntryHook BEFORE_CONNECT = EntryHook.storingOrReturning(BoxerHooks.class, "beforeConnect",
      ADDRESS, "DEFERRED_CONNECT", UNAVAILABLE, parameter(0), parameter(1), parameter(2), parameter(3));
  private static final EntryHook BEFORE_BIND = EntryHook.storing(BoxerHooks.class, "beforeBind", ADDRESS,
      parameter(0), parameter(1), parameter(2), parameter(3)).swallowingThrowables();
  private static final EntryHook POLL_CONNECT =
      EntryHook.returningIfNonNegative(BoxerHooks.class, "pollConnect", parameter(0));

  private final Runnable whenFailed;

  /** For tests: a failed rewrite is only recorded ({@link #error()}). */
  public NetInstrumentation() {
    this(null);
  }

  /**
   * @param whenFailed run once if Net cannot be rewritten (Net then loads unchanged and no JDK connect or bind
   *     reaches Boxer): the agent removes its hooks, so that the Netty path is not left half on; null for none
   */
  public NetInstrumentation(Runnable whenFailed) {
    super(TARGET_INTERNAL);
    this.whenFailed = whenFailed;
  }

  @Override
  void failed(Throwable t) {
    if (whenFailed != null) {
      System.err.println("[boxer-agent] failed to start, the application runs without Boxer: "
        + "could not instrument " + TARGET + ": " + t);
      whenFailed.run();
    }
  }

  @Override
  byte[] rewriteTarget(byte[] classFile) {
    return rewrite(classFile);
  }

  /**
   * The bytes of {@code sun.nio.ch.Net} with the three hooks inserted.
   *
   * @throws IllegalStateException when a method is missing (the message says which)
   */
  public static byte[] rewrite(byte[] net) {
    return rewriteMethods(net, TARGET, List.of("connect" + CONNECT_DESC, "bind" + BIND_DESC,
        "pollConnectNow" + POLL_CONNECT_DESC), new MethodHooks() {
          @Override
          protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String name,
              String descriptor) {
            if ((access & Opcodes.ACC_STATIC) == 0) {
              return null;
            }
            if (name.equals("connect") && descriptor.equals(CONNECT_DESC)) {
              return BEFORE_CONNECT.at(mv, owner, access, descriptor);
            }
            if (name.equals("bind") && descriptor.equals(BIND_DESC)) {
              return BEFORE_BIND.at(mv, owner, access, descriptor);
            }
            if (name.equals("pollConnectNow") && descriptor.equals(POLL_CONNECT_DESC)) {
              return POLL_CONNECT.at(mv, owner, access, descriptor);
            }
            return null;
          }
        });
  }
}
