package io.boxer.examples.ownaddress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The check clustering libraries make of a configured bind address before they start: the address must be one
 * of this machine's, both as {@code NetworkInterface.getByInetAddress} finds it (JGroups, Infinispan) and among
 * the addresses of an interface that is up, as {@code getNetworkInterfaces()} lists them (Hazelcast's interface
 * matching, Spring Cloud's InetUtils). Stateless.
 */
final class BindAddressCheck {

  private BindAddressCheck() {}

  /** Why {@code address} is not an address of this machine, or null when it is. */
  static String problem(InetAddress address) throws SocketException {
    if (address.isAnyLocalAddress()) {
      return null;
    }
    NetworkInterface owner = NetworkInterface.getByInetAddress(address);
    if (owner == null) {
      return address.getHostAddress() + " is on no interface of this machine (" + listing() + ")";
    }
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (ni.isUp() && Collections.list(ni.getInetAddresses()).contains(address)) {
        return null;
      }
    }
    return address.getHostAddress() + " is on interface " + owner.getName() + ", which is not up or not listed";
  }

  /** "name: address, address; name: ..." for the message. */
  private static String listing() throws SocketException {
    List<String> parts = new ArrayList<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      List<String> addresses = new ArrayList<>();
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        addresses.add(a.getHostAddress());
      }
      parts.add(ni.getName() + ": " + String.join(", ", addresses));
    }
    return String.join("; ", parts);
  }
}
