package io.boxer.agent.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Arrays;

/**
 * Adds an address to a {@link NetworkInterface} object as the kernel would have reported it: to its
 * {@code addrs} (what {@code getInetAddresses()}, {@code inetAddresses()} and {@code equals} read) and, as a host
 * address (/32, or /128 for IPv6, without broadcast), to its {@code bindings} ({@code getInterfaceAddresses()}).
 * The private fields and the {@link InterfaceAddress} constructor are the same on JDK 17 and 25; reaching them
 * needs {@code java.net} opened to the agent ({@link AgentInstaller}). The objects the JDK hands out are fresh
 * per lookup, so changing them changes no one else's copy. Thread-safe.
 */
final class InterfaceFields {

  /** Looked up at the first use: NetworkInterface is loaded and java.net open to the agent by then. */
  private volatile Reflected reflected;

  /** The private members. Immutable. */
  private static final class Reflected {
    final Field addrs;
    final Field bindings;
    final Constructor<InterfaceAddress> newBinding;
    final Field bindingAddress;
    final Field bindingPrefix;

    Reflected() throws ReflectiveOperationException {
      addrs = accessible(NetworkInterface.class.getDeclaredField("addrs"));
      bindings = accessible(NetworkInterface.class.getDeclaredField("bindings"));
      newBinding = InterfaceAddress.class.getDeclaredConstructor();
      newBinding.setAccessible(true);
      bindingAddress = accessible(InterfaceAddress.class.getDeclaredField("address"));
      bindingPrefix = accessible(InterfaceAddress.class.getDeclaredField("maskLength"));
    }
  }

  /** Reaches the members at the first {@link #addAddress}. */
  InterfaceFields() {}

  /**
   * Reaches the members now (tests).
   *
   * @throws ReflectiveOperationException when this JDK's classes have another shape, or java.net is closed
   */
  static InterfaceFields create() throws ReflectiveOperationException {
    InterfaceFields fields = new InterfaceFields();
    fields.reflected();
    return fields;
  }

  /**
   * @throws ReflectiveOperationException when this JDK's classes have another shape, or java.net is closed
   */
  private Reflected reflected() throws ReflectiveOperationException {
    Reflected r = reflected;
    if (r == null) {
      try {
        r = new Reflected();
      } catch (RuntimeException e) { // InaccessibleObjectException
        throw new ReflectiveOperationException(e);
      }
      reflected = r; // a race looks them up twice, harmlessly
    }
    return r;
  }

  /** Appends {@code address} to {@code ni}'s addresses and bindings, unless it has it already. */
  void addAddress(NetworkInterface ni, InetAddress address) throws ReflectiveOperationException {
    Reflected r = reflected();
    Field addrs = r.addrs;
    Field bindings = r.bindings;
    InetAddress[] current = (InetAddress[]) addrs.get(ni);
    if (current == null) {
      current = new InetAddress[0];
    }
    if (Arrays.asList(current).contains(address)) {
      return;
    }
    // last: Spring Cloud's InetUtils keeps the last suitable address of the first suitable interface
    InetAddress[] more = Arrays.copyOf(current, current.length + 1);
    more[current.length] = address;
    InterfaceAddress[] currentBindings = (InterfaceAddress[]) bindings.get(ni);
    if (currentBindings == null) {
      currentBindings = new InterfaceAddress[0];
    }
    InterfaceAddress binding = r.newBinding.newInstance();
    r.bindingAddress.set(binding, address);
    r.bindingPrefix.setShort(binding, (short) (address instanceof Inet4Address ? 32 : 128));
    InterfaceAddress[] moreBindings = Arrays.copyOf(currentBindings, currentBindings.length + 1);
    moreBindings[currentBindings.length] = binding;
    bindings.set(ni, moreBindings);
    addrs.set(ni, more);
  }

  private static Field accessible(Field f) {
    f.setAccessible(true);
    return f;
  }
}
