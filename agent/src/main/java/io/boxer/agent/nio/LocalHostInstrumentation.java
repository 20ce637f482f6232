package io.boxer.agent.nio;

import io.boxer.agent.bootstrap.OwnAddressHooks;
import io.boxer.agent.rewrite.MethodHooks;
import io.boxer.agent.rewrite.ResultFilterVisitor;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@code java.net.InetAddress.getLocalHost()} (public API, the same on JDK 17 and 25; its body, with its cache and
 * its error paths, differs): before each {@code areturn}, {@code return OwnAddressHooks.localHost(result);}. Only
 * that method's body changes (no branch, no frame), so the class, loaded long before premain, can be
 * retransformed.
 */
public final class LocalHostInstrumentation extends JdkClassTransformer {

  public static final String TARGET = "java.net.InetAddress";

  static final String TARGET_INTERNAL = "java/net/InetAddress";
  static final String LOCAL_HOST_DESC = "()Ljava/net/InetAddress;";
  private static final String HOOKS = Type.getInternalName(OwnAddressHooks.class);

  public LocalHostInstrumentation() {
    super(TARGET_INTERNAL);
  }

  @Override
  void failed(Throwable t) {
    System.err.println("[boxer-agent] InetAddress.getLocalHost() will not return the external address: "
        + "could not instrument " + TARGET + ": " + t);
  }

  @Override
  byte[] rewriteTarget(byte[] classFile) {
    return rewrite(classFile);
  }

  /**
   * The bytes of {@code java.net.InetAddress} with {@code getLocalHost()}'s result filtered.
   *
   * @throws IllegalStateException when the class has no such method
   */
  public static byte[] rewrite(byte[] inetAddress) {
    return rewriteMethods(inetAddress, TARGET, List.of("getLocalHost" + LOCAL_HOST_DESC), new MethodHooks() {
      @Override
      protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String name, String descriptor) {
        if ((access & Opcodes.ACC_STATIC) == 0 || !name.equals("getLocalHost")
            || !descriptor.equals(LOCAL_HOST_DESC)) {
          return null;
        }
        return ResultFilterVisitor.beforeReturn(mv, HOOKS, "localHost",
            "(Ljava/net/InetAddress;)Ljava/net/InetAddress;");
      }
    });
  }
}
