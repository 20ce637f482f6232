package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivatingTransformerTest {

  private static final byte[] BYTES = {1, 2, 3};
  private static final byte[] REWRITTEN = {4, 5, 6};
  private static final RewriteCache.AgentIdentity IDENTITY = new RewriteCache.AgentIdentity(10, 1, 20, 2);
  private static final ClassLoader APP = ActivatingTransformerTest.class.getClassLoader();

  /** Rewrites the one class it is given, records what it saw. */
  private static final class Rewriting implements ClassFileTransformer {
    final String target;
    final List<String> seen = new ArrayList<>();

    Rewriting(String target) {
      this.target = target;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
        ProtectionDomain protectionDomain, byte[] classfileBuffer) {
      seen.add(className);
      return className.equals(target) ? REWRITTEN : null;
    }
  }

  private static final class Recording implements ActivatingTransformer.Activation {
    final ClassFileTransformer[] instrumentations;
    final RuntimeException failure;
    RewriteCache cache;
    RuntimeException instrumentationsFailure;
    /** Run inside {@link #instrumentations()}, as building them may load classes. */
    Runnable whileBuilding;
    int activations;
    int builds;
    int activatedCalls;
    Throwable failed;

    Recording(RuntimeException failure, ClassFileTransformer... instrumentations) {
      this.failure = failure;
      this.instrumentations = instrumentations;
    }

    @Override
    public RewriteCache activate() {
      activations++;
      if (failure != null) {
        throw failure;
      }
      return cache;
    }

    @Override
    public ClassFileTransformer[] instrumentations() {
      builds++;
      if (whileBuilding != null) {
        whileBuilding.run();
      }
      if (instrumentationsFailure != null) {
        throw instrumentationsFailure;
      }
      return instrumentations;
    }

    @Override
    public void failed(Throwable t) {
      assertThat(failed).as("failed() once").isNull();
      failed = t;
    }

    @Override
    public void activated() {
      activatedCalls++;
    }
  }

  private static byte[] load(ActivatingTransformer t, ClassLoader loader, String internalName) {
    return t.transform(null, loader, internalName, null, null, BYTES);
  }

  @Test
  void otherClasses_activateNothing() {
    Rewriting net = new Rewriting("sun/nio/ch/Net");
    Recording activation = new Recording(null, net, null);
    ActivatingTransformer t = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), true, activation);

    assertThat(load(t, null, "java/lang/String")).isNull();
    assertThat(load(t, APP, "com/example/Hello")).isNull();
    assertThat(load(t, APP, "sun/nio/ch/Net")).as("the JDK's name, but not the boot loader").isNull();
    assertThat(load(t, null, null)).isNull();

    assertThat(activation.activations).isZero();
    assertThat(net.seen).isEmpty();
  }

  @Test
  void firstTarget_activatesOnce_thenEveryTargetIsRewritten() {
    Rewriting net = new Rewriting("sun/nio/ch/Net");
    Rewriting channel = new Rewriting("sun/nio/ch/SocketChannelImpl");
    Recording activation = new Recording(null, net, channel, null);
    ActivatingTransformer t = new ActivatingTransformer(Set.of("sun.nio.ch.Net", "sun.nio.ch.SocketChannelImpl"),
        true, activation);

    assertThat(load(t, null, "sun/nio/ch/SocketChannelImpl")).isEqualTo(REWRITTEN);
    assertThat(load(t, null, "sun/nio/ch/Net")).isEqualTo(REWRITTEN);
    assertThat(load(t, null, "java/lang/String")).isNull();

    assertThat(activation.activations).isEqualTo(1);
    assertThat(activation.activatedCalls).isEqualTo(1);
    assertThat(activation.failed).isNull();
    assertThat(net.seen).containsExactly("sun/nio/ch/SocketChannelImpl", "sun/nio/ch/Net");
  }

  @Test
  void nettyNames_activate_onlyWhereNativeSocketsAre() {
    Rewriting netty = new Rewriting("io/grpc/netty/shaded/io/netty/channel/unix/Socket");
    Recording linux = new Recording(null, netty);
    ActivatingTransformer onLinux = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), true, linux);
    assertThat(load(onLinux, APP, "io/grpc/netty/shaded/io/netty/channel/unix/Socket")).isEqualTo(REWRITTEN);
    assertThat(load(onLinux, APP, "io/netty/channel/epoll/AbstractEpollChannel")).isNull();
    assertThat(load(onLinux, APP, "io/netty/channel/uring/IoUringSocketChannel")).isNull();
    assertThat(netty.seen).containsExactly("io/grpc/netty/shaded/io/netty/channel/unix/Socket",
        "io/netty/channel/epoll/AbstractEpollChannel", "io/netty/channel/uring/IoUringSocketChannel");

    Recording elsewhere = new Recording(null, netty);
    ActivatingTransformer notLinux = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), false, elsewhere);
    assertThat(load(notLinux, APP, "io/netty/channel/unix/Socket")).isNull();
    assertThat(elsewhere.activations).isZero();
  }

  @Test
  void failedActivation_reportedOnce_andNothingIsRewritten() {
    Rewriting net = new Rewriting("sun/nio/ch/Net");
    IllegalStateException boom = new IllegalStateException("module edges refused");
    Recording activation = new Recording(boom, net);
    ActivatingTransformer t = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), true, activation);

    assertThat(load(t, null, "sun/nio/ch/Net")).isNull();
    assertThat(load(t, null, "sun/nio/ch/Net")).isNull();

    assertThat(activation.activations).isEqualTo(1);
    assertThat(activation.failed).isSameAs(boom);
    assertThat(activation.activatedCalls).isZero();
    assertThat(net.seen).isEmpty();
  }

  @Test
  void throwingInstrumentation_classLoadsUnchanged() {
    ClassFileTransformer broken = new ClassFileTransformer() {
      @Override
      public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
          ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        throw new IllegalStateException("bug");
      }
    };
    ActivatingTransformer t = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), true,
        new Recording(null, broken));

    assertThat(load(t, null, "sun/nio/ch/Net")).isNull();
  }

  @Test
  void isJdkTarget_byBinaryName() {
    ActivatingTransformer t = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), true, new Recording(null));
    assertThat(t.isJdkTarget("sun.nio.ch.Net")).isTrue();
    assertThat(t.isJdkTarget("sun/nio/ch/Net")).isFalse();
    assertThat(t.isJdkTarget("java.lang.String")).isFalse();
  }

  @Test
  void cachedClass_isTheCachesBytes_andNoInstrumentationIsBuilt(@TempDir Path dir) throws Exception {
    RewriteCache cache = RewriteCache.open(dir, IDENTITY);
    cache.store("sun/nio/ch/Net", BYTES, REWRITTEN);
    Rewriting net = new Rewriting("sun/nio/ch/Net");
    Recording activation = new Recording(null, net);
    activation.cache = cache;
    ActivatingTransformer t = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), true, activation);

    assertThat(load(t, null, "sun/nio/ch/Net")).isEqualTo(REWRITTEN);

    assertThat(activation.activations).isEqualTo(1);
    assertThat(activation.activatedCalls).isEqualTo(1);
    assertThat(activation.builds).as("instrumentations built (ASM loaded)").isZero();
    assertThat(net.seen).isEmpty();
  }

  @Test
  void uncachedClass_rewrittenOnce_andStored_soTheNextJvmNeedsNoInstrumentation(@TempDir Path dir)
      throws Exception {
    Rewriting net = new Rewriting("sun/nio/ch/Net");
    Recording first = new Recording(null, net, null);
    first.cache = RewriteCache.open(dir, IDENTITY);
    ActivatingTransformer firstJvm = new ActivatingTransformer(Set.of("sun.nio.ch.Net",
        "sun.nio.ch.SocketChannelImpl"), true, first);

    assertThat(load(firstJvm, null, "sun/nio/ch/Net")).isEqualTo(REWRITTEN);
    assertThat(load(firstJvm, null, "sun/nio/ch/SocketChannelImpl")).as("not rewritten: not cached").isNull();
    assertThat(first.builds).isEqualTo(1);
    assertThat(net.seen).containsExactly("sun/nio/ch/Net", "sun/nio/ch/SocketChannelImpl");

    Rewriting unused = new Rewriting("sun/nio/ch/Net");
    Recording second = new Recording(null, unused);
    second.cache = RewriteCache.open(dir, IDENTITY);
    ActivatingTransformer secondJvm = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), true, second);
    assertThat(load(secondJvm, null, "sun/nio/ch/Net")).isEqualTo(REWRITTEN);
    assertThat(second.builds).isZero();
    assertThat(unused.seen).isEmpty();
  }

  @Test
  void instrumentationsThatCannotBeBuilt_reportedOnce_andNothingIsRewritten() {
    Rewriting net = new Rewriting("sun/nio/ch/Net");
    Recording activation = new Recording(null, net);
    IllegalStateException boom = new IllegalStateException("no ASM");
    activation.instrumentationsFailure = boom;
    ActivatingTransformer t = new ActivatingTransformer(Set.of("sun.nio.ch.Net"), true, activation);

    assertThat(load(t, null, "sun/nio/ch/Net")).isNull();
    assertThat(load(t, null, "sun/nio/ch/Net")).isNull();

    assertThat(activation.builds).isEqualTo(1);
    assertThat(activation.failed).isSameAs(boom);
    assertThat(net.seen).isEmpty();
  }

  @Test
  void targetLoadedWhileTheInstrumentationsAreBuilt_loadsUnchanged() {
    Rewriting net = new Rewriting("sun/nio/ch/Net");
    Recording activation = new Recording(null, net);
    ActivatingTransformer t = new ActivatingTransformer(Set.of("sun.nio.ch.Net", "java.net.InetAddress"), true,
        activation);
    List<byte[]> nested = new ArrayList<>();
    activation.whileBuilding = () -> nested.add(load(t, null, "java/net/InetAddress"));

    assertThat(load(t, null, "sun/nio/ch/Net")).isEqualTo(REWRITTEN);

    assertThat(nested).hasSize(1).containsOnlyNulls();
    assertThat(activation.builds).isEqualTo(1);
    assertThat(activation.failed).isNull();
  }
}
