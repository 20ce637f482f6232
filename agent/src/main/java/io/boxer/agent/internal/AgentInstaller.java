package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.bootstrap.NativeSocketHooks;
import io.boxer.agent.bootstrap.OwnAddressHooks;
import io.boxer.agent.netty.UnixSocketInstrumentation;
import io.boxer.agent.nio.AsyncChannelInstrumentation;
import io.boxer.agent.nio.ConnectTimeoutInstrumentation;
import io.boxer.agent.nio.LocalHostInstrumentation;
import io.boxer.agent.nio.NetInstrumentation;
import io.boxer.agent.nio.NetworkInterfaceInstrumentation;
import io.boxer.agent.nio.SocketChannelInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Installs the agent (the bootstrap classes are on the boot class path already): module edges, the socket hook,
 * the membership watcher, the retransformation of {@code sun.nio.ch.Net} and, on Linux, the load-time
 * transformer of Netty's native {@code ...channel.unix.Socket} ({@link UnixSocketInstrumentation}). Called by
 * {@code BoxerAgent.premain}, on the main thread, once. Loads no protobuf class: the membership watcher and the
 * first connect to a member do, later.
 */
public final class AgentInstaller {

  private static final String PREFIX = "[boxer-agent] ";

  private AgentInstaller() {}

  /**
   * @throws Exception when the agent cannot be installed; the caller prints it, and nothing of the agent is
   *     active unless the retransformation itself succeeded
   */
  public static void install(Instrumentation inst, AgentConfig config) throws Exception {
    warnIfPlainSocketImpl();
    if (BoxerHooks.class.getClassLoader() != null) {
      throw new IllegalStateException("io.boxer.agent.bootstrap.BoxerHooks was loaded by "
          + BoxerHooks.class.getClassLoader() + " (expected: the boot class loader only)");
    }
    Class<?> net = Class.forName(NetInstrumentation.TARGET, false, null);
    Module javaBase = Object.class.getModule();
    Module bootUnnamed = BoxerHooks.class.getModule();
    Module agent = AgentInstaller.class.getModule();
    // The calls inserted into Net, NetworkInterface and InetAddress (java.base) reach BoxerHooks and
    // OwnAddressHooks; NetAccess uses Net's private methods, ChannelAccess those of the channels and selectors,
    // InterfaceFields those of NetworkInterface and InterfaceAddress.
    inst.redefineModule(javaBase, Set.of(bootUnnamed), Map.of(), Map.of("sun.nio.ch", Set.of(agent),
        "java.nio.channels.spi", Set.of(agent), "java.net", Set.of(agent)), Set.of(), Map.of());

    NetAccess netAccess = NetAccess.create();
    DeferredConnects deferred = deferredConnects(netAccess);
    MembershipWatcher watcher = new MembershipWatcher(config.socketPath(), new Backoff(100, 5000));
    PrimeClient primeClient = new PrimeClient(config.socketPath());
    // PrimeClient itself, not a method reference: linking one would load the protobuf reply class now.
    BoxerSocketHook hook = new BoxerSocketHook(watcher::currentOrAwaitFirst, netAccess, primeClient,
        config.primeTimeoutMillis(), config.firstViewWaitMillis(), deferred);
    preloadHookPath();

    BoxerHooks.install(hook);
    NetInstrumentation transformer = new NetInstrumentation();
    inst.addTransformer(transformer, true);
    try {
      inst.retransformClasses(net);
    } catch (Throwable t) {
      BoxerHooks.install(null);
      throw t;
    } finally {
      // The Net transformer is for this one retransformation only; Netty sockets get their own (installNativeSockets).
      inst.removeTransformer(transformer);
    }
    if (!transformer.transformed() || transformer.error() != null) {
      BoxerHooks.install(null);
      throw new IllegalStateException("could not instrument " + NetInstrumentation.TARGET + ": "
          + (transformer.error() == null ? "no transformation happened" : transformer.error()));
    }
    installNonBlockingConnects(inst);
    installConnectTimeouts(inst);
    installNativeSockets(inst, netAccess);
    watcher.start();
    // after the watcher started: the two retransformations take a while, and the first connect waits for the view
    installOwnAddress(inst, watcher, config.firstViewWaitMillis());
  }

  /**
   * The non-blocking and asynchronous connects whose prime runs on agent threads ({@link PrimeThreads}). The
   * JDK internals it needs are looked up, and the threads made, at the first such connect.
   */
  private static DeferredConnects deferredConnects(NetAccess net) {
    return new DeferredConnects(new LazyChannelOps(ChannelAccess::create), new NettyEpollChannels(), net,
        PrimeThreads::execute);
  }

  /**
   * Instruments {@code SocketChannelImpl} and {@code UnixAsynchronousSocketChannelImpl} (now, or when they load)
   * so that their connects can be deferred. A class that cannot be instrumented keeps its connects waiting for
   * the prime: the Net hook only defers the channels these instrumentations name.
   */
  private static void installNonBlockingConnects(Instrumentation inst) {
    install(inst, new SocketChannelInstrumentation(), SocketChannelInstrumentation.TARGET,
        "non-blocking connects will wait for priming on the calling thread");
    install(inst, new AsyncChannelInstrumentation(), AsyncChannelInstrumentation.TARGET,
        "asynchronous connects will wait for priming on the calling thread");
  }

  /**
   * Makes {@code Socket.connect(address, timeout)} count priming against its timeout. NioSocketImpl loads with
   * the first socket, normally after premain, so the transformer acts at load (or retransforms it if some
   * earlier agent already made a socket). A failure leaves connects working, with the prime timeout alone.
   */
  private static void installConnectTimeouts(Instrumentation inst) {
    install(inst, new ConnectTimeoutInstrumentation(), ConnectTimeoutInstrumentation.TARGET,
        "connect timeouts will not cover priming");
  }

  /**
   * Registers a JDK class transformer and retransforms its class if it is loaded already. Everything the
   * transformer runs is loaded now, not while the JDK class loads. A failure prints {@code consequence}.
   */
  private static void install(Instrumentation inst, ClassFileTransformer transformer, String target,
      String consequence) {
    try {
      for (String name : new String[] {transformer.getClass().getName() + "$1", MethodHooks.class.getName(),
          MethodHooks.class.getName() + "$1", EntryHookVisitor.class.getName(),
          ResultFilterVisitor.class.getName()}) {
        Class.forName(name, true, AgentInstaller.class.getClassLoader());
      }
      inst.addTransformer(transformer, true);
      for (Class<?> loaded : inst.getAllLoadedClasses()) {
        if (loaded.getName().equals(target)) {
          inst.retransformClasses(loaded);
        }
      }
    } catch (Throwable t) {
      System.err.println(PREFIX + consequence + ": " + t);
    }
  }

  /**
   * Linux only (Netty's epoll; SO_DOMAIN gives the socket's family): lets {@link NativeSocketHooks} see native
   * sockets as JDK file descriptors, and transforms {@code ...channel.unix.Socket} classes as they load. Netty
   * cannot have loaded before premain, so no retransformation is needed; every other class costs one name check.
   * A failure here leaves the JDK path active and prints one line.
   */
  private static void installNativeSockets(Instrumentation inst, NetAccess netAccess) {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return;
    }
    try {
      NativeSocketHooks.install(NativeFdAccess.create(netAccess));
      // everything the transformer uses while a Netty class loads is loaded now, not then
      for (String name : new String[] {UnixSocketInstrumentation.class.getName() + "$1",
          UnixSocketInstrumentation.class.getName() + "$2", MethodHooks.class.getName(),
          MethodHooks.class.getName() + "$1", EntryHookVisitor.class.getName()}) {
        Class.forName(name, true, AgentInstaller.class.getClassLoader());
      }
      inst.addTransformer(new UnixSocketInstrumentation(), false);
    } catch (Throwable t) {
      NativeSocketHooks.install(null);
      System.err.println(PREFIX + "Netty native transports (epoll) bypass Boxer in this JVM: " + t);
    }
  }

  /**
   * Makes the node's external address one of the machine's own for the application ({@link ExternalAddressHook}):
   * {@code NetworkInterface}'s lookups and {@code InetAddress.getLocalHost()}. Both classes are normally loaded
   * already, so they are retransformed. A failure leaves the kernel's view, and prints one line.
   */
  private static void installOwnAddress(Instrumentation inst, MembershipWatcher watcher, int firstViewWaitMillis) {
    try {
      // The first lookup waits (once per process, as the first connect does) for the node's first view, so an
      // application that checks its addresses as it starts sees the external one; without a node it waits
      // only for the first failed attempt to reach it.
      OwnAddressHooks.install(new ExternalAddressHook(
          () -> watcher.currentOrAwaitFirst(firstViewWaitMillis).ownNatAddress(),
          DefaultRouteInterface::read, InterfaceFields.create()));
    } catch (Throwable t) {
      System.err.println(PREFIX + "the external address will not appear among this machine's addresses: " + t);
      return;
    }
    install(inst, new NetworkInterfaceInstrumentation(), NetworkInterfaceInstrumentation.TARGET,
        "NetworkInterface will not list the external address");
    install(inst, new LocalHostInstrumentation(), LocalHostInstrumentation.TARGET,
        "InetAddress.getLocalHost() will not return the external address");
  }

  /** JDK 17 and older: with {@code jdk.net.usePlainSocketImpl}, java.net.Socket does not use sun.nio.ch.Net. */
  private static void warnIfPlainSocketImpl() {
    String plain = System.getProperty("jdk.net.usePlainSocketImpl");
    if (Runtime.version().feature() <= 17 && plain != null && !plain.equalsIgnoreCase("false")) {
      System.err.println(PREFIX + "-Djdk.net.usePlainSocketImpl=" + plain + " is set: java.net.Socket and "
          + "ServerSocket bypass Boxer in this mode (connects to members are not primed, listening sockets get "
          + "no SO_REUSEPORT); remove the option to use Boxer. NIO channels are still covered.");
    }
  }

  /**
   * Loads (and initializes) the classes every hooked connect and bind touches, now, so that the instrumented
   * Net methods do not load them for the first time (no class loading on the fast path of the first connect).
   * The protobuf classes of the prime path are left to load on first use: most applications never connect to a
   * member, and none of them should pay for protobuf at start-up.
   */
  private static void preloadHookPath() throws Exception {
    InetAddress probe = InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, 1});
    MemberSet.EMPTY.contains(probe);
    String[] names = {
      "java.net.Inet6Address",
      "java.net.StandardSocketOptions",
    };
    for (String name : names) {
      Class.forName(name, true, AgentInstaller.class.getClassLoader());
    }
  }
}
