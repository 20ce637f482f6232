package io.boxer.agent.bootstrap;

import java.net.InetAddress;
import java.net.NetworkInterface;

/**
 * The only class that the code inserted into {@code java.net.NetworkInterface} (after each call of its native
 * lookups) and {@code java.net.InetAddress.getLocalHost()} (before each return) calls. JDK-only, loaded by the
 * boot class loader; forwards to the {@link OwnAddressHook} the agent installs and passes every value through
 * unchanged until then, on threads inside Boxer code ({@link BoxerHooks#isInternal()}), and when the hook fails.
 * Never throws, never logs.
 */
public final class OwnAddressHooks {

  private static volatile OwnAddressHook hook;

  private OwnAddressHooks() {}

  /** Installs the hook (or removes it, with null). Called once by the agent at premain. */
  public static void install(OwnAddressHook newHook) {
    hook = newHook;
  }

  /** After {@code NetworkInterface.getAll()}. */
  public static NetworkInterface[] allInterfaces(NetworkInterface[] all) {
    OwnAddressHook h = enter();
    if (h == null) {
      return all;
    }
    try {
      return h.allInterfaces(all);
    } catch (Throwable t) {
      return all;
    } finally {
      BoxerHooks.exitInternal();
    }
  }

  /** After {@code NetworkInterface.getByName0(name)}. */
  public static NetworkInterface interfaceNamed(String name, NetworkInterface found) {
    return oneInterface(found);
  }

  /** After {@code NetworkInterface.getByIndex0(index)}. */
  public static NetworkInterface interfaceIndexed(int index, NetworkInterface found) {
    return oneInterface(found);
  }

  private static NetworkInterface oneInterface(NetworkInterface found) {
    OwnAddressHook h = enter();
    if (h == null) {
      return found;
    }
    try {
      return h.oneInterface(found);
    } catch (Throwable t) {
      return found;
    } finally {
      BoxerHooks.exitInternal();
    }
  }

  /** After {@code NetworkInterface.getByInetAddress0(address)}. */
  public static NetworkInterface interfaceWith(InetAddress address, NetworkInterface found) {
    OwnAddressHook h = enter();
    if (h == null) {
      return found;
    }
    try {
      return h.interfaceWith(address, found);
    } catch (Throwable t) {
      return found;
    } finally {
      BoxerHooks.exitInternal();
    }
  }

  /** After {@code NetworkInterface.boundInetAddress0(address)}. */
  public static boolean isBound(InetAddress address, boolean bound) {
    OwnAddressHook h = enter();
    if (h == null) {
      return bound;
    }
    try {
      return h.isBound(address, bound);
    } catch (Throwable t) {
      return bound;
    } finally {
      BoxerHooks.exitInternal();
    }
  }

  /** Before each return of {@code InetAddress.getLocalHost()}. */
  public static InetAddress localHost(InetAddress localHost) {
    OwnAddressHook h = enter();
    if (h == null) {
      return localHost;
    }
    try {
      return h.localHost(localHost);
    } catch (Throwable t) {
      return localHost;
    } finally {
      BoxerHooks.exitInternal();
    }
  }

  /** The hook with this thread marked internal, or null (nothing to do, nothing marked). */
  private static OwnAddressHook enter() {
    OwnAddressHook h = hook;
    if (h == null || BoxerHooks.isInternal()) {
      return null;
    }
    BoxerHooks.enterInternal();
    return h;
  }
}
