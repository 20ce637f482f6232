package io.boxer.netlab;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One host of a lab: a network namespace with one interface {@code eth0} holding {@link #address()}.
 * Immutable and thread-safe; it describes the host, it does not own it (the {@link Lab} does).
 */
public final class LabHost {
  private final String name;
  private final String namespace;
  private final HostKind kind;
  private final InetAddress address;
  private final InetAddress externalAddress;
  private final String natNamespace;
  private final String ipBinary;

  LabHost(
      String name,
      String namespace,
      HostKind kind,
      InetAddress address,
      InetAddress externalAddress,
      String natNamespace,
      String ipBinary) {
    this.name = Objects.requireNonNull(name, "name");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.address = Objects.requireNonNull(address, "address");
    this.externalAddress = Objects.requireNonNull(externalAddress, "externalAddress");
    this.natNamespace = natNamespace;
    this.ipBinary = Objects.requireNonNull(ipBinary, "ipBinary");
  }

  /**
   * Builds the description of host {@code name} ({@code seed}, {@code vmI}, {@code fnK}) of lab {@code runId},
   * whose functions sit behind routers as {@code natGroups} says.
   */
  static LabHost of(String runId, String name, NatGroups natGroups, String ipBinary) {
    LabNames.Parsed p =
        LabNames.parse(LabNames.namespace(runId, name))
            .orElseThrow(() -> new IllegalArgumentException("host : " + name));
    String ns = LabNames.namespace(runId, name);
    switch (p.role()) {
      case "seed":
        return new LabHost(name, ns, HostKind.SEED, AddressPlan.seed(), AddressPlan.seed(), null, ipBinary);
      case "vm":
        InetAddress vm = AddressPlan.vm(p.index());
        return new LabHost(name, ns, HostKind.VM, vm, vm, null, ipBinary);
      case "fn":
        int k = p.index();
        int nat = natGroups.natOf(k);
        return new LabHost(
            name, ns, HostKind.FUNCTION, AddressPlan.function(k), AddressPlan.natWan(nat),
            LabNames.namespace(runId, LabNames.nat(nat)), ipBinary);
      default:
        throw new IllegalArgumentException(
            "host : " + name + " (expected: seed, vmI or fnK; " + p.role() + " is not a host)");
    }
  }

  /** Host name within the lab: {@code seed}, {@code vmI} or {@code fnK}. */
  public String name() {
    return name;
  }

  /** The network namespace name, e.g. {@code boxer-3fa2-fn1}. */
  public String namespace() {
    return namespace;
  }

  /** The host's role. */
  public HostKind kind() {
    return kind;
  }

  /** The address on the host's own interface (private 198.19.K.2 for function hosts). */
  public InetAddress address() {
    return address;
  }

  /**
   * The address other hosts see: the NAT router's WAN address for function hosts (shared by every function
   * behind that router), {@link #address()} otherwise.
   */
  public InetAddress externalAddress() {
    return externalAddress;
  }

  /**
   * The namespace of the NAT router this host sits behind (possibly shared with other functions); empty
   * unless this is a function host.
   */
  public Optional<String> natNamespace() {
    return Optional.ofNullable(natNamespace);
  }

  /** {@code [ip, netns, exec, <namespace>, command...]}: the command run inside this host's namespace. */
  public List<String> command(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command : [] (expected: at least the program name)");
    }
    List<String> full = new ArrayList<>(4 + command.size());
    full.add(ipBinary);
    full.add("netns");
    full.add("exec");
    full.add(namespace);
    full.addAll(command);
    return List.copyOf(full);
  }

  /** A process builder for {@code cmd} inside this host's namespace; not started, stdio not redirected. */
  public ProcessBuilder processBuilder(String... cmd) {
    return new ProcessBuilder(command(List.of(cmd)));
  }

  @Override
  public String toString() {
    return name + "[" + namespace + ", " + address.getHostAddress()
        + (externalAddress.equals(address) ? "" : " via " + externalAddress.getHostAddress()) + "]";
  }
}
