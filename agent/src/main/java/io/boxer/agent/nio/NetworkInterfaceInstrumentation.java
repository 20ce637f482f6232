package io.boxer.agent.nio;

import io.boxer.agent.bootstrap.OwnAddressHooks;
import io.boxer.agent.rewrite.MethodHooks;
import io.boxer.agent.rewrite.ResultFilterVisitor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@code java.net.NetworkInterface}: every lookup of the class ends in one of five private static natives, the
 * same on JDK 17 and 25 ({@code getAll}, {@code getByName0}, {@code getByIndex0}, {@code getByInetAddress0},
 * {@code boundInetAddress0}); the public methods around them differ between versions, the natives do not. After
 * each call of a native, its result goes through {@link OwnAddressHooks}:
 * <pre>
 * netifs = OwnAddressHooks.allInterfaces(getAll());
 * ni = OwnAddressHooks.interfaceNamed(name, getByName0(name));       // likewise interfaceIndexed(index, ...)
 * ni = OwnAddressHooks.interfaceWith(addr, getByInetAddress0(addr));
 * b  = OwnAddressHooks.isBound(addr, boundInetAddress0(addr));
 * </pre>
 * The instance methods ({@code getInetAddresses}, {@code inetAddresses}, {@code getInterfaceAddresses},
 * {@code equals}) read the interface's own fields, which the hook fills in, so they need no rewrite. Only method
 * bodies change (no branch, no frame), so the class can be retransformed.
 */
public final class NetworkInterfaceInstrumentation extends JdkClassTransformer {

  public static final String TARGET = "java.net.NetworkInterface";

  static final String TARGET_INTERNAL = "java/net/NetworkInterface";
  static final String HOOKS = Type.getInternalName(OwnAddressHooks.class);
  private static final String NI = "Ljava/net/NetworkInterface;";
  private static final String ADDRESS = "Ljava/net/InetAddress;";

  /** Per native: name, descriptor, whether the hook also gets its argument, the hook's name and descriptor. */
  private static final String[][] NATIVES = {
    {"getAll", "()[" + NI, "false", "allInterfaces", "([" + NI + ")[" + NI},
    {"getByName0", "(Ljava/lang/String;)" + NI, "true", "interfaceNamed", "(Ljava/lang/String;" + NI + ")" + NI},
    {"getByIndex0", "(I)" + NI, "true", "interfaceIndexed", "(I" + NI + ")" + NI},
    {"getByInetAddress0", "(" + ADDRESS + ")" + NI, "true", "interfaceWith", "(" + ADDRESS + NI + ")" + NI},
    {"boundInetAddress0", "(" + ADDRESS + ")Z", "true", "isBound", "(" + ADDRESS + "Z)Z"},
  };

  public NetworkInterfaceInstrumentation() {
    super(TARGET_INTERNAL);
  }

  @Override
  void failed(Throwable t) {
    System.err.println("[boxer-agent] NetworkInterface will not list the external address: "
        + "could not instrument " + TARGET + ": " + t);
  }

  @Override
  byte[] rewriteTarget(byte[] classFile) {
    return rewrite(classFile);
  }

  /**
   * The bytes of {@code java.net.NetworkInterface} with every call of the five natives filtered.
   *
   * @throws IllegalStateException naming the natives that no method calls (another JDK's shape)
   */
  public static byte[] rewrite(byte[] networkInterface) {
    Set<String> filtered = new HashSet<>();
    byte[] rewritten = new MethodHooks() {
      @Override
      protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String name, String descriptor) {
        if ((access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) != 0) {
          return null;
        }
        MethodVisitor chain = mv;
        for (String[] n : NATIVES) {
          chain = ResultFilterVisitor.afterCall(chain, TARGET_INTERNAL, n[0], n[1], Boolean.parseBoolean(n[2]),
              HOOKS, n[3], n[4], filtered);
        }
        return chain;
      }
    }.apply(networkInterface, new HashSet<>());
    List<String> missing = new ArrayList<>();
    for (String[] n : NATIVES) {
      if (!filtered.contains(n[0] + n[1])) {
        missing.add(n[0] + n[1]);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(TARGET + " calls no " + String.join(" ", missing));
    }
    return rewritten;
  }
}
