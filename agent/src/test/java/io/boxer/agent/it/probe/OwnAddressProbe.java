package io.boxer.agent.it.probe;

import static io.boxer.agent.it.probe.Probe.out;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.concurrent.TimeUnit;

/**
 * What the application sees of the machine's own addresses, for one address: every lookup of
 * {@code java.net.NetworkInterface} that could show it, and {@code InetAddress.getLocalHost()}. JDK-only.
 */
final class OwnAddressProbe {

  private OwnAddressProbe() {}

  /**
   * Waits up to {@code waitMillis} for {@code address} to be found by {@code getByInetAddress} (the agent shows it
   * once the node's first view has arrived), then prints what each lookup says.
   */
  static void view(String address, long waitMillis) throws Exception {
    InetAddress ext = InetAddress.getByName(address);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    NetworkInterface carrier = NetworkInterface.getByInetAddress(ext);
    while (carrier == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
      carrier = NetworkInterface.getByInetAddress(ext);
    }
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
