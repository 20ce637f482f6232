package io.boxer.netlab;

import java.net.InetAddress;
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
  private final LabTools tools;

  LabHost(
      String name,
      String namespace,
      HostKind kind,
      InetAddress address,
      InetAddress externalAddress,
      String natNamespace,
      LabTools tools) {
    this.name = Objects.requireNonNull(name, "name");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.address = Objects.requireNonNull(address, "address");
    this.externalAddress = Objects.requireNonNull(externalAddress, "externalAddress");
    this.natNamespace = natNamespace;
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  /**
   * Builds the description of host {@code name} ({@code seed}, {@code vmI}, {@code fnK}) of lab {@code runId},
   * whose functions sit behind routers as {@code natGroups} says.
   */
  static LabHost of(String runId, String name, NatGroups natGroups, LabTools tools) {
    LabNames.Parsed p =
        LabNames.parse(LabNames.namespace(runId, name))
            .orElseThrow(() -> new IllegalArgumentException("host : " + name));
    String ns = LabNames.namespace(runId, name);
    switch (p.role()) {
      case "seed":
        return new LabHost(name, ns, HostKind.SEED, AddressPlan.seed(), AddressPlan.seed(), null, tools);
      case "vm":
        InetAddress vm = AddressPlan.vm(p.index());
        return new LabHost(name, ns, HostKind.VM, vm, vm, null, tools);
      case "fn":
        int k = p.index();
        int nat = natGroups.natOf(k);
        return new LabHost(
            name, ns, HostKind.FUNCTION, AddressPlan.function(k), AddressPlan.natWan(nat),
            LabNames.namespace(runId, LabNames.nat(nat)), tools);
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
    return tools.inNamespace(namespace, command);
  }

  /**
   * {@code [ip, netns, exec, <NAT namespace>, command...]}: the command run on the NAT router this function host
   * sits behind (to inspect or change its conntrack table or rules).
   *
   * @throws IllegalStateException if this is not a function host (it has no NAT router)
   */
  public List<String> natCommand(List<String> command) {
    if (natNamespace == null) {
      throw new IllegalStateException("host : " + name + " (expected: a function host; a " + kind
          + " host has no NAT router)");
    }
    return tools.inNamespace(natNamespace, command);
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
