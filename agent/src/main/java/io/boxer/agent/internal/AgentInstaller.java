package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.bootstrap.InstalledHooks;
import io.boxer.agent.bootstrap.OwnAddressHooks;
import io.boxer.agent.netty.UnixSocketInstrumentation;
import io.boxer.agent.nio.AsyncChannelInstrumentation;
import io.boxer.agent.nio.ConnectTimeoutInstrumentation;
import io.boxer.agent.nio.LocalHostInstrumentation;
import io.boxer.agent.nio.NetInstrumentation;
import io.boxer.agent.nio.NetworkInterfaceInstrumentation;
import io.boxer.agent.nio.SocketChannelInstrumentation;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Installs the agent (the bootstrap classes are on the boot class path already), in two steps. At premain, on the
 * main thread, once: one class transformer, {@link ActivatingTransformer}, and nothing else. When the first class
 * that the agent rewrites loads ({@code sun.nio.ch.Net}, the socket channels, {@code NioSocketImpl},
 * {@code NetworkInterface}, {@code InetAddress}, or on Linux Netty's native {@code ...channel.unix.Socket}), the
 * activation: java.base's module edges, the hooks (which look the JDK's internals up at their first use), the
 * {@link RewriteCache}, then the membership watcher; the instrumentations (ASM) are built only when a class to
 * rewrite is not in that cache. A JVM that never touches the network pays for premain only
 * (docs/measurements.md, "Agent"). Loads no protobuf class: the membership watcher and the first connect to a
 * member do, later.
 */
public final class AgentInstaller {

  private static final String PREFIX = "[boxer-agent] ";
  /** The agent jar's {@code Boot-Class-Path}: its bootstrap jar, next to it. */
  private static final String BOOTSTRAP_JAR = "boxer-agent-bootstrap.jar";

  private AgentInstaller() {}

  /**
   * @throws Exception when the agent cannot be installed; the caller prints it, and nothing of the agent is
   *     active
   */
  public static void install(Instrumentation inst, AgentConfig config) throws Exception {
    warnIfPlainSocketImpl();
    if (BoxerHooks.class.getClassLoader() != null) {
      throw new IllegalStateException("io.boxer.agent.bootstrap.BoxerHooks was loaded by "
          + BoxerHooks.class.getClassLoader() + " (expected: the boot class loader only)");
    }
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    ActivatingTransformer transformer = new ActivatingTransformer(jdkTargets(), linux,
        new NetworkActivation(inst, config, linux));
    inst.addTransformer(transformer, true);
    retransformLoaded(inst, transformer);
  }

  /** Binary names of the JDK classes (java.base, boot loader) that the agent rewrites. */
  static Set<String> jdkTargets() {
    return Set.of(NetInstrumentation.TARGET, SocketChannelInstrumentation.TARGET, AsyncChannelInstrumentation.TARGET,
        ConnectTimeoutInstrumentation.TARGET, NetworkInterfaceInstrumentation.TARGET, LocalHostInstrumentation.TARGET);
  }

  /**
   * The classes the agent rewrites are normally not loaded yet at premain (a plain JVM loads none of them before
   * main, and Netty's load later still); if some earlier agent or option loaded one of the JDK's, it is rewritten
   * now, which activates the agent now.
   */
  private static void retransformLoaded(Instrumentation inst, ActivatingTransformer transformer)
      throws Exception {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getClassLoader() == null && transformer.isJdkTarget(c.getName())) {
        loaded.add(c);
      }
    }
    if (!loaded.isEmpty()) {
      inst.retransformClasses(loaded.toArray(new Class<?>[0]));
    }
  }

  /**
   * The activation ({@link ActivatingTransformer}): java.base reads the boot class path's unnamed module (the
   * calls inserted into Net, the channels, NetworkInterface and InetAddress reach BoxerHooks and OwnAddressHooks)
   * and opens to the agent what {@link NetAccess}, {@link ChannelAccess}, {@link NativeFdAccess} and
   * {@link InterfaceFields} reach; then the instrumentations; then, outside the lock, the membership watcher.
   */
  private static final class NetworkActivation implements ActivatingTransformer.Activation {
    private final Instrumentation inst;
    private final AgentConfig config;
    private final boolean linux;
    /** Set by {@link #activate}, started by {@link #activated}. */
    private MembershipWatcher watcher;

    NetworkActivation(Instrumentation inst, AgentConfig config, boolean linux) {
      this.inst = inst;
      this.config = config;
      this.linux = linux;
    }

    @Override
    public RewriteCache activate() {
      Module javaBase = Object.class.getModule();
      Module agent = AgentInstaller.class.getModule();
      inst.redefineModule(javaBase, Set.of(BoxerHooks.class.getModule()), Map.of(), Map.of("sun.nio.ch",
          Set.of(agent), "java.nio.channels.spi", Set.of(agent), "java.net", Set.of(agent)), Set.of(), Map.of());
      watcher = Hooks.install(config, linux);
      return openRewriteCache(config.rewriteCache());
    }

    /** Loads ASM and the instrumentations' classes: only when a class to rewrite is not in the cache. */
    @Override
    public ClassFileTransformer[] instrumentations() {
      return new ClassFileTransformer[] {
        new NetInstrumentation(new Deactivation()),
        new SocketChannelInstrumentation(),
        new AsyncChannelInstrumentation(),
        new ConnectTimeoutInstrumentation(),
        new NetworkInterfaceInstrumentation(),
        new LocalHostInstrumentation(),
        linux ? new UnixSocketInstrumentation() : null,
      };
    }

    @Override
    public void failed(Throwable t) {
      new Deactivation().run();
      System.err.println(PREFIX + "failed to start, the application runs without Boxer: " + t);
    }

    @Override
    public void activated() {
      watcher.start();
    }
  }

  /**
   * The cache in {@code dir}, or null: when there is none, when the agent does not run from its jar (tests), or
   * when the directory cannot be used. The last is reported on stderr when the user named the directory or when
   * it is not safe (another owner, writable by others); a default directory that cannot be created is not.
   */
  static RewriteCache openRewriteCache(RewriteCacheDir dir) {
    if (dir.path() == null) {
      return null;
    }
    boolean existed = Files.isDirectory(dir.path());
    try {
      RewriteCache.AgentIdentity identity = agentIdentity();
      return identity == null ? null : RewriteCache.open(dir.path(), identity);
    } catch (IOException | RuntimeException e) {
      if (dir.configured() || existed) {
        System.err.println(PREFIX + "not using the cache of rewritten classes (" + RewriteCacheDir.ENV + "): "
            + e.getMessage());
      }
      return null;
    }
  }

  /** The identity of the jars this agent runs from, or null when it does not run from its jar (tests). */
  static RewriteCache.AgentIdentity agentIdentity() throws IOException {
    Path agentJar = codeSource();
    if (agentJar == null) {
      return null;
    }
    Path bootstrapJar = agentJar.resolveSibling(BOOTSTRAP_JAR);
    if (!Files.isRegularFile(agentJar) || !Files.isRegularFile(bootstrapJar)) {
      return null;
    }
    return RewriteCache.AgentIdentity.of(agentJar, bootstrapJar);
  }

  /** Where the agent's classes were loaded from: its jar (a class directory in tests), or null if unknown. */
  static Path codeSource() {
    try {
      return Path.of(AgentInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      return null;
    }
  }

  /** Builds and installs the hooks; a class of its own, so that verifying premain's classes loads none of theirs. */
  private static final class Hooks {
    private Hooks() {}

    /**
     * The hooks the rewritten classes call. Their JDK lookups (method handles, reflection) happen at their first
     * use: the class being loaded now may be one they look up. InstalledHooks, not BoxerHooks.install:
     * initializing BoxerHooks now would load InetAddress, which may be the class being loaded.
     *
     * @return the membership watcher, not started
     * @throws IllegalStateException on an unsupported OS
     */
    static MembershipWatcher install(AgentConfig config, boolean linux) {
      NetAccess netAccess = NetAccess.create();
      MembershipWatcher watcher = new MembershipWatcher(config.socketPath(), new Backoff(100, 5000));
      // PrimeClient itself, not a method reference: linking one would load the protobuf reply class now.
      PrimeClient primeClient = new PrimeClient(config.socketPath());
      BoxerSocketHook hook = new BoxerSocketHook(new FirstViewWait(watcher), netAccess,
          primeClient, config.primeTimeoutMillis(), config.firstViewWaitMillis(),
          new DeferredConnects(new LazyChannelOps(new ChannelAccessFactory()), new NettyEpollChannels(),
              netAccess, new PrimeExecutor()), warmPorts(config.warm(), primeClient, watcher));
      // The first lookup waits (once per process, as the first connect does) for the node's first view, so an
      // application that checks its addresses as it starts sees the external one; without a node it waits only
      // for the first failed attempt to reach it.
      OwnAddressHooks.install(new ExternalAddressHook(new OwnNatAddress(watcher, config.firstViewWaitMillis()),
          new RouteReader(), new InterfaceFields()));
      InstalledHooks.install(hook, linux ? new NativeFdAccess(netAccess) : null);
      return watcher;
    }
  }

  /** The warm port pool, or null when it is off; its thread starts with the first endpoint it keeps warm. */
  private static WarmPorts warmPorts(WarmSettings settings, PrimeClient primer, MembershipWatcher watcher) {
    if (!settings.enabled()) {
      return null;
    }
    WarmPortsTicker ticker = new WarmPortsTicker();
    WarmPorts ports = new WarmPorts(settings, new PortReservations(), primer, new IsMember(watcher), ticker.waker());
    ticker.serve(ports);
    return ports;
  }

  /** Whether an ip is a member's in the current view (the warm port pool drops the pools of others). */
  private static final class IsMember implements Predicate<InetAddress> {
    private final MembershipWatcher watcher;

    IsMember(MembershipWatcher watcher) {
      this.watcher = watcher;
    }

    @Override
    public boolean test(InetAddress ip) {
      return watcher.currentOrAwaitFirst(0).contains(ip);
    }
  }

  /** Removes every hook: the classes already rewritten then pass everything through. */
  private static final class Deactivation implements Runnable {
    @Override
    public void run() {
      InstalledHooks.install(null, null);
      OwnAddressHooks.install(null);
    }
  }

  // Small classes rather than lambdas or method references: premain links no invokedynamic call site (the
  // first one in a JVM costs milliseconds of bootstrapping).

  /** The member view for a connect: waits for the first view once per process. */
  private static final class FirstViewWait implements LongFunction<MemberSet> {
    private final MembershipWatcher watcher;

    FirstViewWait(MembershipWatcher watcher) {
      this.watcher = watcher;
    }

    @Override
    public MemberSet apply(long millis) {
      return watcher.currentOrAwaitFirst(millis);
    }
  }

  /** This node's external address when it is behind a NAT, else null. */
  private static final class OwnNatAddress implements Supplier<InetAddress> {
    private final MembershipWatcher watcher;
    private final int firstViewWaitMillis;

    OwnNatAddress(MembershipWatcher watcher, int firstViewWaitMillis) {
      this.watcher = watcher;
      this.firstViewWaitMillis = firstViewWaitMillis;
    }

    @Override
    public InetAddress get() {
      return watcher.currentOrAwaitFirst(firstViewWaitMillis).ownNatAddress();
    }
  }

  private static final class RouteReader implements Supplier<String> {
    @Override
    public String get() {
      return DefaultRouteInterface.read();
    }
  }

  /**
   * The JDK's channel internals, looked up when the first non-blocking connect to a member needs them (by
   * {@link LazyChannelOps}).
   */
  private static final class ChannelAccessFactory implements Supplier<ChannelOps> {
    @Override
    public ChannelOps get() {
      return ChannelAccess.create();
    }
  }

  private static final class PrimeExecutor implements Executor {
    @Override
    public void execute(Runnable task) {
      PrimeThreads.execute(task);
    }
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
}
