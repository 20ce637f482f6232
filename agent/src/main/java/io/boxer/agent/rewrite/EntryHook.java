package io.boxer.agent.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * A call of a static hook inserted at a method's entry, as data: the hook's class and name, the values it is
 * called with ({@link HookArg}), what the method does with its result ({@link ResultUse}), and whether a
 * Throwable from it is swallowed. The hook's descriptor, the loads and the stack map frames follow from the
 * hooked method's descriptor ({@link #at}). For example:
 * <pre>
 * // address = BoxerHooks.beforeBind(family, fd, address, port), whatever it throws swallowed
 * EntryHook.storing(BoxerHooks.class, "beforeBind", 2, parameter(0), parameter(1), parameter(2), parameter(3))
 *     .swallowingThrowables()
 * </pre>
 *
 * <p>A final class, not a record, and no lambdas: hooks are applied while classes load, where the first
 * {@code invokedynamic} (a record's {@code toString}, {@code equals}) would load more classes. Immutable.
 */
public final class EntryHook {

  private final String hookClass;
  private final String name;
  private final HookArg[] args;
  private final ResultUse resultUse;
  private final int resultParameter;
  private final String sentinelField;
  private final int returnConstant;
  private final boolean swallow;

  private EntryHook(String hookClass, String name, HookArg[] args, ResultUse resultUse, int resultParameter,
      String sentinelField, int returnConstant, boolean swallow) {
    if (swallow && !resultUse.canSwallow()) {
      throw new IllegalArgumentException("only a hook whose result is discarded or stored can be swallowed, not "
          + resultUse);
    }
    this.hookClass = hookClass;
    this.name = name;
    this.args = args.clone();
    this.resultUse = resultUse;
    this.resultParameter = resultParameter;
    this.sentinelField = sentinelField;
    this.returnConstant = returnConstant;
    this.swallow = swallow;
  }

  /** {@code hooks.name(args...);} (a void hook). */
  public static EntryHook discarding(Class<?> hooks, String name, HookArg... args) {
    return new EntryHook(Type.getInternalName(hooks), name, args, ResultUse.DISCARD, -1, null, 0, false);
  }

  /** {@code param[resultParameter] = hooks.name(args...);}: the hook returns the parameter's replacement. */
  public static EntryHook storing(Class<?> hooks, String name, int resultParameter, HookArg... args) {
    return new EntryHook(Type.getInternalName(hooks), name, args, ResultUse.STORE, resultParameter, null, 0,
        false);
  }

  /** {@code int r = hooks.name(args...); if (r >= 0) return r;}: the hook returns -1 to run the original code. */
  public static EntryHook returningIfNonNegative(Class<?> hooks, String name, HookArg... args) {
    return new EntryHook(Type.getInternalName(hooks), name, args, ResultUse.RETURN_IF_NON_NEGATIVE, -1, null, 0,
        false);
  }

  /** {@code if (hooks.name(args...) >= 0) return;} at the entry of a void method. */
  public static EntryHook skippingIfNonNegative(Class<?> hooks, String name, HookArg... args) {
    return new EntryHook(Type.getInternalName(hooks), name, args, ResultUse.SKIP_IF_NON_NEGATIVE, -1, null, 0,
        false);
  }

  /**
   * {@code r = hooks.name(args...); if (r == hooks.sentinelField) return returnConstant; param[resultParameter] =
   * r;} for a method returning int or boolean.
   */
  public static EntryHook storingOrReturning(Class<?> hooks, String name, int resultParameter,
      String sentinelField, int returnConstant, HookArg... args) {
    return new EntryHook(Type.getInternalName(hooks), name, args, ResultUse.STORE_OR_RETURN, resultParameter,
        sentinelField, returnConstant, false);
  }

  /** This hook with a {@code try/catch (Throwable)} around the call that drops whatever it throws. */
  public EntryHook swallowingThrowables() {
    return new EntryHook(hookClass, name, args, resultUse, resultParameter, sentinelField, returnConstant, true);
  }

  /**
   * The visitor that inserts this hook at the entry of method {@code descriptor} of {@code owner}, wrapping
   * {@code mv}; requires a reader run with {@code EXPAND_FRAMES}.
   *
   * @param owner the internal name of the class being rewritten
   * @throws IllegalArgumentException when this hook does not fit the method (a missing parameter, a result use
   *     its return type does not allow)
   */
  public MethodVisitor at(MethodVisitor mv, String owner, int access, String descriptor) {
    HookedMethod method = new HookedMethod(owner, access, descriptor);
    Type[] argTypes = new Type[args.length];
    for (int i = 0; i < args.length; i++) {
      argTypes[i] = args[i].type(method);
    }
    String hookDescriptor = Type.getMethodDescriptor(resultUse.hookReturnType(method, this), argTypes);
    return new EntryHookVisitor(mv, method, this, hookDescriptor);
  }

  String hookClass() {
    return hookClass;
  }

  String name() {
    return name;
  }

  HookArg[] args() {
    return args.clone();
  }

  ResultUse resultUse() {
    return resultUse;
  }

  /** The parameter the result is stored into, for {@link ResultUse#STORE} and {@link ResultUse#STORE_OR_RETURN}. */
  int resultParameter() {
    return resultParameter;
  }

  /** The static field of the hook's class whose value means "return {@link #returnConstant}". */
  String sentinelField() {
    return sentinelField;
  }

  int returnConstant() {
    return returnConstant;
  }

  boolean swallowsThrowables() {
    return swallow;
  }
}
