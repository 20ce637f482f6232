package io.boxer.agent.netty;

import static io.boxer.agent.rewrite.HookArg.RECEIVER;
import static io.boxer.agent.rewrite.HookArg.parameter;

import io.boxer.agent.bootstrap.NativeSocketHooks;
import io.boxer.agent.rewrite.EntryHook;
import io.boxer.agent.rewrite.MethodHooks;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Netty's native epoll transport (Netty's native transport on Linux, where Boxer runs; kqueue is for BSD and
 * macOS; io_uring is not covered, see the agent's package doc) connects and binds without the JDK: its last Java
 * frames are {@code public final boolean connect(SocketAddress)}, {@code public final boolean finishConnect()} and
 * {@code public final void bind(SocketAddress)} of {@code io.netty.channel.unix.Socket}, which grpc-netty-shaded
 * relocates to {@code io.grpc.netty.shaded.io.netty.channel.unix.Socket}. This transformer matches the class by
 * shape, not by package: any class whose name ends with {@value #NAME_SUFFIX} and that has the three instance
 * methods with exactly these descriptors. At the entry of each it inserts a call of {@code NativeSocketHooks}
 * (boot class path):
 * <pre>
 * connect:       remote = NativeSocketHooks.beforeConnect(this, remote);   // may throw ConnectException to Netty
 *                if (remote == NativeSocketHooks.DEFERRED_CONNECT) return false;   // "in progress"
 * finishConnect: int r = NativeSocketHooks.finishConnect(this); if (r >= 0) return r != 0;
 * bind:          try { local = NativeSocketHooks.beforeBind(this, local); } catch (Throwable ignored) {}
 * </pre>
 * It also notes the connecting channel for a deferred (non-blocking) connect: at the entry of
 * {@code boolean doConnect0(SocketAddress[, SocketAddress])} of any class named {@value #CHANNEL_SUFFIX},
 * {@code try { NativeSocketHooks.beforeChannelConnect(this); } catch (Throwable ignored) {}}; a Netty without
 * that method keeps its connects priming on the event loop. Nothing else of the classes changes. It acts on
 * class load (Netty's classes load lazily, after premain), never retransforms, and for every other class costs
 * two {@code String.endsWith} on the class name.
 *
 * <p>The bytes are rewritten with {@link MethodHooks} (ASM, no class loaded while rewriting; the frames of the
 * inserted branches are written by hand). Thread-safe (stateless).
 */
public final class UnixSocketInstrumentation implements ClassFileTransformer {

  /** The io_uring warning is printed once per JVM. */
  private static final AtomicBoolean URING_WARNED = new AtomicBoolean();

  /** Internal-name suffix of the matched classes: {@code io/netty/channel/unix/Socket} and its relocations. */
  public static final String NAME_SUFFIX = "/channel/unix/Socket";
  static final String CONNECT_DESC = "(Ljava/net/SocketAddress;)Z";
  static final String BIND_DESC = "(Ljava/net/SocketAddress;)V";
  static final String FINISH_CONNECT_DESC = "()Z";
  /** Internal-name suffix of Netty's epoll channel base class, relocated or not. */
  public static final String CHANNEL_SUFFIX = "/channel/epoll/AbstractEpollChannel";
  /** Part of the internal names of Netty's io_uring classes (4.2's and the incubator's, relocated or not). */
  public static final String IO_URING_PART = "/channel/uring/";
  static final String DO_CONNECT_DESC = "(Ljava/net/SocketAddress;)Z";
  static final String DO_CONNECT_DESC2 = "(Ljava/net/SocketAddress;Ljava/net/SocketAddress;)Z";

  /** The parameter (the remote or local address) that the connect and bind hooks replace. */
  private static final int ADDRESS = 0;
  private static final EntryHook BEFORE_CONNECT = EntryHook.storingOrReturning(NativeSocketHooks.class,
      "beforeConnect", ADDRESS, "DEFERRED_CONNECT", 0, RECEIVER, parameter(ADDRESS));
  private static final EntryHook FINISH_CONNECT =
      EntryHook.returningIfNonNegative(NativeSocketHooks.class, "finishConnect", RECEIVER);
  private static final EntryHook BEFORE_BIND = EntryHook.storing(NativeSocketHooks.class, "beforeBind", ADDRESS,
      RECEIVER, parameter(ADDRESS)).swallowingThrowables();
  private static final EntryHook BEFORE_CHANNEL_CONNECT =
      EntryHook.discarding(NativeSocketHooks.class, "beforeChannelConnect", RECEIVER).swallowingThrowables();

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (className == null || classBeingRedefined != null) {
      return null;
    }
    if (isIoUring(className) && URING_WARNED.compareAndSet(false, true)) {
      System.err.println("[boxer-agent] warning: Netty's io_uring transport is in use (" + className.replace('/', '.')
          + "): its connects never pass through Java, so Boxer cannot prime them and connects to members behind"
          + " NATs will time out. Use the epoll or NIO transport instead (see README, Transparency).");
    }
    boolean channel = className.endsWith(CHANNEL_SUFFIX);
    if (!nameMatches(className) && !channel) {
      return null;
    }
    try {
      return channel ? rewriteChannel(classfileBuffer) : rewrite(classfileBuffer);
    } catch (Throwable t) {
      System.err.println("[boxer-agent] could not instrument " + className.replace('/', '.')
          + ", its connects bypass Boxer: " + t);
      return null;
    }
  }

  /**
   * Whether {@code internalName} belongs to a Netty io_uring transport (4.2's io.netty.channel.uring or the
   * incubator's io.netty.incubator.channel.uring, relocated or not): its connects are submitted to the kernel
   * ring, no Java connect() exists to intercept.
   */
  static boolean isIoUring(String internalName) {
    return internalName.contains(IO_URING_PART);
  }

  /** Whether {@code internalName} (e.g. {@code a/b/channel/unix/Socket}) passes the cheap name check. */
  static boolean nameMatches(String internalName) {
    return internalName != null && internalName.endsWith(NAME_SUFFIX);
  }

  /**
   * The class with the three hooks inserted, or null when it does not have the shape: instance methods
   * {@code connect} {@value #CONNECT_DESC}, {@code finishConnect} {@value #FINISH_CONNECT_DESC} and {@code bind}
   * {@value #BIND_DESC}, all with code.
   */
  public static byte[] rewrite(byte[] classFile) {
    Set<String> hooked = new HashSet<>();
    byte[] rewritten = new MethodHooks() {
      @Override
      protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String name, String descriptor) {
        if (!isHookable(access)) {
          return null;
        }
        if (name.equals("connect") && descriptor.equals(CONNECT_DESC)) {
          return BEFORE_CONNECT.at(mv, owner, access, descriptor);
        }
        if (name.equals("finishConnect") && descriptor.equals(FINISH_CONNECT_DESC)) {
          return FINISH_CONNECT.at(mv, owner, access, descriptor);
        }
        if (name.equals("bind") && descriptor.equals(BIND_DESC)) {
          return BEFORE_BIND.at(mv, owner, access, descriptor);
        }
        return null;
      }
    }.apply(classFile, hooked);
    return hooked.size() == 3 ? rewritten : null; // all three, or the class is left as it is
  }

  /**
   * Netty's epoll channel with the note of the connecting channel inserted into {@code doConnect0}, or null when
   * the class has no such method (its connects then prime on the event loop, as before).
   */
  public static byte[] rewriteChannel(byte[] classFile) {
    Set<String> hooked = new HashSet<>();
    byte[] rewritten = new MethodHooks() {
      @Override
      protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String name, String descriptor) {
        if (!isHookable(access) || !name.equals("doConnect0")
            || !(descriptor.equals(DO_CONNECT_DESC) || descriptor.equals(DO_CONNECT_DESC2))) {
          return null;
        }
        return BEFORE_CHANNEL_CONNECT.at(mv, owner, access, descriptor);
      }
    }.apply(classFile, hooked);
    return hooked.isEmpty() ? null : rewritten;
  }

  private static boolean isHookable(int access) {
    return (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
  }
}
