package io.boxer.agent.nio;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.boxer.agent.bootstrap.BoxerHooks;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * The one instrumentation of the agent: {@code sun.nio.ch.Net}, the methods
 * {@code static int connect(ProtocolFamily, FileDescriptor, InetAddress, int)} and
 * {@code static void bind(ProtocolFamily, FileDescriptor, InetAddress, int)} (the same on JDK 17 and 25; all
 * other connect/bind overloads of Net delegate to these two). The advice is inlined and only calls
 * {@link BoxerHooks}, which is on the boot class path.
 */
public final class NetInstrumentation {

  public static final String TARGET = "sun.nio.ch.Net";

  private NetInstrumentation() {}

  static ElementMatcher.Junction<MethodDescription> connectMethod() {
    return named("connect").and(isStatic()).and(returns(int.class))
        .and(takesArguments(ProtocolFamily.class, FileDescriptor.class, InetAddress.class, int.class));
  }

  static ElementMatcher.Junction<MethodDescription> bindMethod() {
    return named("bind").and(isStatic()).and(returns(void.class))
        .and(takesArguments(ProtocolFamily.class, FileDescriptor.class, InetAddress.class, int.class));
  }

  /**
   * Applies both advices to a builder of {@code sun.nio.ch.Net}. Advice classes are read as class files
   * through {@code locator} and never loaded.
   */
  public static DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, ClassFileLocator locator) {
    TypePool pool = TypePool.Default.of(locator);
    TypeDescription connect = pool.describe(NetInstrumentation.class.getName() + "$ConnectAdvice").resolve();
    TypeDescription bind = pool.describe(NetInstrumentation.class.getName() + "$BindAdvice").resolve();
    return builder
        .visit(Advice.to(connect, locator).on(connectMethod()))
        .visit(Advice.to(bind, locator).on(bindMethod()));
  }

  /**
   * Before {@code Net.connect}: may throw {@code ConnectException} to the application (refused, or priming
   * failed), so it suppresses nothing; {@link BoxerHooks#beforeConnect} throws nothing else.
   */
  static final class ConnectAdvice {
    private ConnectAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) ProtocolFamily family, @Advice.Argument(1) FileDescriptor fd,
        @Advice.Argument(2) InetAddress address, @Advice.Argument(3) int port) throws IOException {
      BoxerHooks.beforeConnect(family, fd, address, port);
    }
  }

  /** Before {@code Net.bind}: never changes the bind's outcome. */
  static final class BindAdvice {
    private BindAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) ProtocolFamily family, @Advice.Argument(1) FileDescriptor fd,
        @Advice.Argument(2) InetAddress address, @Advice.Argument(3) int port) {
      BoxerHooks.beforeBind(family, fd, address, port);
    }
  }
}
