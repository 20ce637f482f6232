package io.boxer.agent.rewrite;

import static io.boxer.agent.rewrite.HookArg.RECEIVER;
import static io.boxer.agent.rewrite.HookArg.intConstant;
import static io.boxer.agent.rewrite.HookArg.parameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Runs {@link HookedSample} with hooks inserted (defined again by a plain class loader, so the verifier checks
 * the inserted code and its frames); public for its hooks.
 */
public class EntryHookTest {

  private static final String SAMPLE = HookedSample.class.getName();
  static final List<String> SEEN = new CopyOnWriteArrayList<>();
  /** The sentinel of {@link #connectHook}: the hooked method returns the hook's constant instead. */
  public static final String DEFERRED = new String("deferred");

  public static void record(String event) {
    SEEN.add(event);
  }

  public static int pickHook(Object self, String name, int n) {
    SEEN.add("pickHook " + self.getClass().getSimpleName() + " " + name + " " + n);
    return name.equals("hook") ? n * 10 : -1;
  }

  public static int skipHook(int n, int zero) {
    SEEN.add("skipHook " + n + " " + zero);
    return n > 0 ? 0 : -1;
  }

  public static String storeHook(String s, double d) {
    if (s.equals("boom")) {
      throw new IllegalStateException("boom");
    }
    return s + d;
  }

  public static String connectHook(String remote) {
    return remote.equals("later") ? DEFERRED : remote + "!";
  }

  public static void touchHook(Object self) {
    SEEN.add("touchHook " + self.getClass().getSimpleName());
  }

  @BeforeEach
  void clear() {
    SEEN.clear();
  }

  @Test
  void returningIfNonNegative_loadsParametersFromTheirSlots_andItsAnswerIsTheResult() throws Exception {
    Class<?> sample = hooked("pick", EntryHook.returningIfNonNegative(EntryHookTest.class, "pickHook", RECEIVER,
        parameter(1), parameter(2)));
    Object instance = sample.getConstructor().newInstance();
    Method pick = sample.getMethod("pick", long.class, String.class, int.class);

    assertThat(pick.invoke(instance, 7L, "hook", 3)).isEqualTo(30);
    assertThat(pick.invoke(instance, 7L, "other", 3)).isEqualTo(3);
    assertThat(SEEN).containsExactly("pickHook HookedSample hook 3", "pickHook HookedSample other 3", "pick");
  }

  @Test
  void skippingIfNonNegative_skipsTheVoidMethod_whenTheHookSaysSo() throws Exception {
    Method skip = hooked("skip", EntryHook.skippingIfNonNegative(EntryHookTest.class, "skipHook", parameter(0),
        intConstant(0))).getMethod("skip", int.class);

    skip.invoke(null, 1);
    skip.invoke(null, -1);

    assertThat(SEEN).containsExactly("skipHook 1 0", "skipHook -1 0", "skip -1");
  }

  @Test
  void storing_replacesTheParameter_andSwallowingKeepsTheOriginalWhenTheHookThrows() throws Exception {
    Method store = hooked("store", EntryHook.storing(EntryHookTest.class, "storeHook", 0, parameter(0),
        parameter(1)).swallowingThrowables()).getMethod("store", String.class, double.class);

    assertThat(store.invoke(null, "a", 1.5)).isEqualTo("a1.5");
    assertThat(store.invoke(null, "boom", 1.5)).isEqualTo("boom");
  }

  @Test
  void storingOrReturning_returnsTheConstantForTheSentinel_andStoresAnythingElse() throws Exception {
    Method connect = hooked("connect", EntryHook.storingOrReturning(EntryHookTest.class, "connectHook", 0,
        "DEFERRED", -2, parameter(0))).getMethod("connect", String.class);

    assertThat(connect.invoke(null, "later")).isEqualTo(-2);
    assertThat(connect.invoke(null, "abc")).isEqualTo(4);
    assertThat(SEEN).containsExactly("connect abc!");
  }

  @Test
  void discarding_callsTheHookWithTheReceiver_thenTheOriginalCode() throws Exception {
    Class<?> sample = hooked("touch", EntryHook.discarding(EntryHookTest.class, "touchHook", RECEIVER));

    sample.getMethod("touch").invoke(sample.getConstructor().newInstance());

    assertThat(SEEN).containsExactly("touchHook HookedSample", "touch");
  }

  @Test
  void at_refusesAHookThatDoesNotFitTheMethod() {
    EntryHook skipping = EntryHook.skippingIfNonNegative(EntryHookTest.class, "skipHook", parameter(0));
    assertThatThrownBy(() -> skipping.at(null, "test/Owner", Opcodes.ACC_STATIC, "(I)I"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("void");
    EntryHook returning = EntryHook.returningIfNonNegative(EntryHookTest.class, "pickHook", parameter(2));
    assertThatThrownBy(() -> returning.at(null, "test/Owner", Opcodes.ACC_STATIC, "(I)I"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameter 2");
    EntryHook receiver = EntryHook.discarding(EntryHookTest.class, "touchHook", RECEIVER);
    assertThatThrownBy(() -> receiver.at(null, "test/Owner", Opcodes.ACC_STATIC, "()V").visitCode())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no receiver");
  }

  @Test
  void swallowing_isRefusedWhereTheResultDecidesWhatTheMethodDoes() {
    assertThatThrownBy(() -> EntryHook.returningIfNonNegative(EntryHookTest.class, "pickHook", RECEIVER)
        .swallowingThrowables()).isInstanceOf(IllegalArgumentException.class);
  }

  /** {@link HookedSample} with {@code hook} inserted into method {@code name}, in a loader of its own. */
  private static Class<?> hooked(String name, EntryHook hook) throws IOException, ClassNotFoundException {
    byte[] rewritten = new MethodHooks() {
      @Override
      protected MethodVisitor hook(MethodVisitor mv, String owner, int access, String method, String descriptor) {
        return method.equals(name) ? hook.at(mv, owner, access, descriptor) : null;
      }
    }.apply(classFile(), new HashSet<>());
    return new ClassLoader(EntryHookTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        if (!className.equals(SAMPLE)) {
          return super.loadClass(className, resolve);
        }
        synchronized (getClassLoadingLock(className)) {
          Class<?> loaded = findLoadedClass(className);
          return loaded != null ? loaded : defineClass(className, rewritten, 0, rewritten.length);
        }
      }
    }.loadClass(SAMPLE);
  }

  private static byte[] classFile() throws IOException {
    try (InputStream in = HookedSample.class.getResourceAsStream("HookedSample.class")) {
      return in.readAllBytes();
    }
  }
}
