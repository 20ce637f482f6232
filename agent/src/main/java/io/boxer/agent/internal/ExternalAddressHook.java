package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.OwnAddressHook;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The node's external address as one of the machine's own, for the application: added to the interface that
 * carries the default route (the one whose traffic the NAT translates; else the first up, non-loopback one) as a
 * host address, found by {@code NetworkInterface.getByInetAddress}, bound per {@code isBoundInetAddress}, and
 * returned by {@code InetAddress.getLocalHost()} under the host's own name. Before the first membership view, and
 * when the external address is the host's own (no NAT), everything passes through unchanged.
 *
 * <p>Thread-safe: the external address is read once per call; called inside the re-entrancy guard (see
 * {@link OwnAddressHook}), so the {@code NetworkInterface} lookups made here return the kernel's view.
 */
final class ExternalAddressHook implements OwnAddressHook {

  private final Supplier<InetAddress> external;
  private final Supplier<String> defaultRouteInterface;
  private final InterfaceFields fields;

  /**
   * @param external the address to show, or null for none (read on every call; may wait, once per process and
   *     briefly, for the node's first view)
   * @param defaultRouteInterface the name of the default route's interface, or null when unknown
   */
  ExternalAddressHook(Supplier<InetAddress> external, Supplier<String> defaultRouteInterface,
      InterfaceFields fields) {
    this.external = external;
    this.defaultRouteInterface = defaultRouteInterface;
    this.fields = fields;
  }

  @Override
  public NetworkInterface[] allInterfaces(NetworkInterface[] all) {
    InetAddress ext = external.get();
    if (ext == null || all == null || all.length == 0) {
      return all;
    }
    NetworkInterface carrier = carrier(List.of(all));
    if (carrier != null) {
      add(carrier, ext);
    }
    return all;
  }

  @Override
  public NetworkInterface oneInterface(NetworkInterface found) {
    InetAddress ext = external.get();
    if (ext != null && found != null && isCarrier(found)) {
      add(found, ext);
    }
    return found;
  }

  @Override
  public NetworkInterface interfaceWith(InetAddress address, NetworkInterface found) {
    InetAddress ext = external.get();
    if (ext == null) {
      return found;
    }
    if (found != null) {
      return oneInterface(found);
    }
    if (!ext.equals(address)) {
      return null;
    }
    NetworkInterface carrier = carrier(kernelInterfaces());
    if (carrier != null) {
      add(carrier, ext);
    }
    return carrier;
  }

  @Override
  public boolean isBound(InetAddress address, boolean bound) {
    InetAddress ext = external.get();
    return bound || ext != null && ext.equals(address);
  }

  @Override
  public InetAddress localHost(InetAddress localHost) {
    InetAddress ext = external.get();
    if (ext == null || localHost == null) {
      return localHost;
    }
    try {
      // getLocalHost's result carries its name already: getHostName() does no lookup here
      return InetAddress.getByAddress(localHost.getHostName(), ext.getAddress());
    } catch (UnknownHostException e) {
      return localHost; // unreachable: the external address is 4 or 16 bytes
    }
  }

  private boolean isCarrier(NetworkInterface ni) {
    NetworkInterface carrier = carrier(kernelInterfaces());
    return carrier != null && carrier.getName().equals(ni.getName());
  }

  /**
   * The default route's interface among {@code all}; else the first that is up and not loopback; else the first
   * that is not loopback; else null.
   */
  private NetworkInterface carrier(List<NetworkInterface> all) {
    String routed = defaultRouteInterface.get();
    NetworkInterface firstNonLoopback = null;
    for (NetworkInterface ni : all) {
      if (ni.getName().equals(routed)) {
        return ni;
      }
    }
    for (NetworkInterface ni : all) {
      try {
        if (ni.isLoopback()) {
          continue;
        }
        if (ni.isUp()) {
          return ni;
        }
      } catch (SocketException e) {
        continue; // gone meanwhile
      }
      if (firstNonLoopback == null) {
        firstNonLoopback = ni;
      }
    }
    return firstNonLoopback;
  }

  /** The kernel's interfaces (this thread is inside the guard, so the JDK's lookup is not filtered). */
  private static List<NetworkInterface> kernelInterfaces() {
    try {
      return Collections.list(NetworkInterface.getNetworkInterfaces());
    } catch (SocketException e) {
      return List.of();
    }
  }

  private void add(NetworkInterface ni, InetAddress ext) {
    try {
      fields.addAddress(ni, ext);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot add " + ext.getHostAddress() + " to " + ni.getName(), e);
    }
  }
}
