package io.boxer.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.nio.NetInstrumentation;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the agent once the bootstrap classes are on the boot class path: module edges, the socket hook, the
 * membership watcher and the retransformation of {@code sun.nio.ch.Net}. Called reflectively by
 * {@code BoxerAgent.premain}, on the main thread, once.
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
    // Inlined advice in java.base calls BoxerHooks; NetAccess needs Net's private socket option methods.
    inst.redefineModule(javaBase, Set.of(bootUnnamed), Map.of(), Map.of("sun.nio.ch", Set.of(agent)),
        Set.of(), Map.of());

    NetAccess netAccess = NetAccess.create();
    MembershipWatcher watcher = new MembershipWatcher(config.socketPath(), new Backoff(100, 5000));
    PrimeClient primeClient = new PrimeClient(config.socketPath());
    BoxerSocketHook hook = new BoxerSocketHook(watcher::currentOrAwaitFirst, netAccess, primeClient::prime,
        config.primeTimeoutMillis(), config.firstViewWaitMillis());
    preloadHookPath();

    BoxerHooks.install(hook);
    InstallListener listener = new InstallListener();
    ClassFileLocator advice = ClassFileLocator.ForClassLoader.of(AgentInstaller.class.getClassLoader());
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(net))
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(listener)
        .ignore(not(named(NetInstrumentation.TARGET)))
        .type(named(NetInstrumentation.TARGET))
        .transform((DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader, JavaModule module,
            java.security.ProtectionDomain domain) -> NetInstrumentation.apply(builder, advice))
        .installOn(inst);
    if (!listener.transformed || !listener.errors.isEmpty()) {
      BoxerHooks.install(null);
      throw new IllegalStateException("could not instrument " + NetInstrumentation.TARGET + ": "
          + (listener.errors.isEmpty() ? "no transformation happened" : listener.errors.get(0)));
    }
    watcher.start();
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
   * Loads (and initializes) every class a hooked connect or bind touches, now, so that no class loading
   * happens for the first time inside the instrumented Net methods (ClassCircularityError, deadlocks).
   */
  private static void preloadHookPath() throws Exception {
    InetAddress probe = InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, 1});
    byte[] request = PrimeClient.request(1, probe, 1, 1).toByteArray();
    PrimeReply reply = PrimeReply.parseFrom(PrimeReply.newBuilder().setResult(PrimeResult.REFUSED)
        .setDetail("x").build().toByteArray());
    try {
      PrimeReplies.apply(reply, probe, 1);
    } catch (java.net.ConnectException expected) {
      // the class is loaded now
    }
    PrimeReplies.failure(probe, 1, "x", null);
    DelimitedFrames.complete(java.nio.ByteBuffer.allocate(request.length).put(request), 1 << 16);
    MemberSet.EMPTY.contains(probe);
    String[] names = {
      "java.net.UnixDomainSocketAddress",
      "java.nio.channels.Selector",
      "java.nio.channels.SelectionKey",
      "sun.nio.ch.UnixDomainSockets",
      "java.net.StandardSocketOptions",
      "java.net.Inet6Address",
      "io.boxer.agent.internal.BoxerSocketHook$Primer",
    };
    for (String name : names) {
      Class.forName(name, true, AgentInstaller.class.getClassLoader());
    }
  }

  /** Records whether Net was transformed and any error; ByteBuddy calls it on the installing thread. */
  private static final class InstallListener extends AgentBuilder.Listener.Adapter {
    final List<String> errors = new CopyOnWriteArrayList<>();
    volatile boolean transformed;

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      if (type.getName().equals(NetInstrumentation.TARGET)) {
        transformed = true;
      }
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
        Throwable throwable) {
      errors.add(typeName + ": " + throwable);
    }
  }
}
