package io.boxer.agent.it.probe;

import static io.boxer.agent.it.probe.Probe.out;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Collections;

/**
 * What the application sees of the machine's own addresses, for one address: every lookup of
 * {@code java.net.NetworkInterface} that could show it, and {@code InetAddress.getLocalHost()}. JDK-only.
 */
final class OwnAddressProbe {

  private OwnAddressProbe() {}

  /**
   * Prints what each lookup says of {@code address}, at once: an application that checks its bind address as it
   * starts does it before anything else.
   */
  static void view(String address) throws Exception {
    InetAddress ext = InetAddress.getByName(address);
    NetworkInterface carrier = NetworkInterface.getByInetAddress(ext);
    out("byAddress", carrier == null ? "none" : carrier.getName());
    boolean listed = false;
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      listed |= Collections.list(ni.getInetAddresses()).contains(ext);
    }
    out("enumerated", listed);
    out("streamed", NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
        .anyMatch(ext::equals));
    if (carrier != null) {
      for (InterfaceAddress ia : carrier.getInterfaceAddresses()) {
        if (ia.getAddress().equals(ext)) {
          out("binding", ia.getAddress().getHostAddress() + "/" + ia.getNetworkPrefixLength()
              + " broadcast " + ia.getBroadcast());
        }
      }
      NetworkInterface byName = NetworkInterface.getByName(carrier.getName());
      NetworkInterface byIndex = NetworkInterface.getByIndex(carrier.getIndex());
      out("byName.has", Collections.list(byName.getInetAddresses()).contains(ext));
      out("byIndex.has", byIndex.inetAddresses().anyMatch(ext::equals));
      out("byName.equalsByAddress", byName.equals(carrier) && byIndex.equals(carrier));
      out("carrier.up", carrier.isUp());
    }
    InetAddress localHost = InetAddress.getLocalHost();
    out("localHost.address", localHost.getHostAddress());
    out("localHost.name", localHost.getHostName());
  }
}
