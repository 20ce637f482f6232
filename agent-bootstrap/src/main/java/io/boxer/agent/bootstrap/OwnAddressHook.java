package io.boxer.agent.bootstrap;

import java.net.InetAddress;
import java.net.NetworkInterface;

/**
 * What the Boxer agent makes of the JVM's view of its own addresses: under {@code boxer run}, the node's
 * external (NAT) address appears on one of the machine's interfaces and as {@link InetAddress#getLocalHost()}.
 * The agent installs exactly one implementation with {@link OwnAddressHooks#install(OwnAddressHook)}; the code
 * inserted into {@code java.net.NetworkInterface} and {@code java.net.InetAddress} reaches it through
 * {@link OwnAddressHooks}.
 *
 * <p>Threads: called on application threads, concurrently, inside the re-entrancy guard of {@link BoxerHooks}
 * (so the implementation's own {@code NetworkInterface} calls see the kernel's view). Each method receives what
 * the JDK found and returns it, changed or not; it must not block, except once per process, briefly, for the
 * node's first membership view.
 */
public interface OwnAddressHook {

  /** The result of {@code NetworkInterface.getAll()}: every interface of the machine (may be null or empty). */
  NetworkInterface[] allInterfaces(NetworkInterface[] all);

  /** The result of {@code getByName0}/{@code getByIndex0}: one interface, or null. */
  NetworkInterface oneInterface(NetworkInterface found);

  /** The result of {@code getByInetAddress0(address)}: the interface that has {@code address}, or null. */
  NetworkInterface interfaceWith(InetAddress address, NetworkInterface found);

  /** The result of {@code boundInetAddress0(address)}: whether an interface has {@code address}. */
  boolean isBound(InetAddress address, boolean bound);

  /** What {@link InetAddress#getLocalHost()} returns. */
  InetAddress localHost(InetAddress localHost);
}
