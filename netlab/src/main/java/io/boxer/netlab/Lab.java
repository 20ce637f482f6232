package io.boxer.netlab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running NAT lab: hosts in network namespaces named {@code boxer-<runid>-<member>}, see
 * {@link LabTopology} for the shape and {@link AddressPlan} for the addresses. A lab whose {@link WanSpec}
 * delays also runs a WAN delayer process in its {@code pub} namespace ({@link WanDelayerProcess}), which
 * every teardown kills with the namespace.
 *
 * <p>Ownership: whoever holds a {@code Lab} owns it; {@link #close()} deletes every namespace of the lab and
 * its metadata file. That holds for {@link #attach(String)} too: close an attached lab only to destroy it.
 * {@link #create(LabSpec)} also registers a JVM shutdown hook that closes the lab if the JVM exits first;
 * {@link #createDetached(LabSpec)} does not (the lab outlives the JVM, as for {@code boxer lab up}).
 *
 * <p>Thread-safe: build and teardown steps run under one lock, so a shutdown hook firing mid-build waits
 * for the current command, deletes what exists, and the build then stops.
 */
public final class Lab implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lab.class);
  /** Bound on run-id draws; with 65536 ids a clash is rare, a long run of them means something is wrong. */
  private static final int MAX_RUN_ID_ATTEMPTS = 32;

  private final String runId;
  private final Optional<LabSpec> spec;
  private final Map<String, LabHost> hosts;
  private final Namespaces namespaces;
  private final LabMetadata metadata;
  private final Object lock = new Object();

  /** Namespaces this object will delete on close; for a created lab only those it created. */
  // @GuardedBy("lock")
  private final List<String> owned;
  // @GuardedBy("lock")
  private boolean closed;
  // @GuardedBy("lock"); null when no hook is registered
  private Thread shutdownHook;

  private Lab(
      String runId,
      Optional<LabSpec> spec,
      List<LabHost> hosts,
      List<String> owned,
      Namespaces namespaces,
      LabMetadata metadata) {
    this.runId = runId;
    this.spec = spec;
    Map<String, LabHost> m = new LinkedHashMap<>();
    hosts.forEach(h -> m.put(h.name(), h));
    this.hosts = Collections.unmodifiableMap(m);
    this.owned = new ArrayList<>(owned);
    this.namespaces = namespaces;
    this.metadata = metadata;
  }

  /**
   * Checks the preconditions, then builds a lab and registers a shutdown hook that tears it down if the JVM
   * exits before {@link #close()}.
   *
   * @throws LabException if a precondition fails or a command fails; whatever was built is torn down first
   */
  public static Lab create(LabSpec spec) {
    return create(spec, true);
  }

  /**
   * Like {@link #create(LabSpec)}, but the lab outlives this JVM: the shutdown hook only guards the build
   * itself (a Ctrl-C mid-build still leaves nothing behind) and is removed once the lab is up.
   */
  public static Lab createDetached(LabSpec spec) {
    return create(spec, false);
  }

  private static Lab create(LabSpec spec, boolean teardownOnExit) {
    LabTools tools = LabPreconditions.checkThisProcess();
    CommandRunner runner = new CommandRunner();
    return build(spec, tools, new Namespaces(runner, tools), new LabMetadata(LabMetadata.DEFAULT_DIR),
        runner, teardownOnExit);
  }

  static Lab build(
      LabSpec spec,
      LabTools tools,
      Namespaces namespaces,
      LabMetadata metadata,
      CommandRunner runner,
      boolean teardownOnExit) {
    String runId = claimRunId(spec, namespaces, metadata);
    LabTopology topology = new LabTopology(runId, spec, tools);
    Lab lab = new Lab(runId, Optional.of(spec), topology.hosts(), List.of(), namespaces, metadata);
    lab.registerShutdownHook();
    long start = System.nanoTime();
    try {
      for (String ns : topology.namespaces()) {
        lab.step(() -> {
          namespaces.add(ns);
          lab.owned.add(ns);
        });
      }
      for (List<String> command : topology.commands()) {
        lab.step(() -> runner.run(command));
      }
      if (spec.wan().delays()) {
        lab.step(() -> WanDelayerProcess.start(tools, LabNames.namespace(runId, LabNames.PUBLIC), spec.wan(),
            topology.delayedNamespaces(), metadata.wanStatusFile(runId), metadata.wanLogFile(runId)));
      }
    } catch (RuntimeException e) {
      try {
        lab.close();
      } catch (RuntimeException teardown) {
        e.addSuppressed(teardown);
      }
      throw new LabException("lab " + runId + " could not be built (torn down): " + e.getMessage(), e);
    }
    if (!teardownOnExit) {
      lab.removeShutdownHook();
    }
    log.info("Lab up runId={} functions={} functionsPerNat={} vms={} profile={} lossPercent={} wanRtt={}"
        + " wanJitter={} wanRateMbit={} millis={}", runId, spec.functions(), spec.functionsPerNat(), spec.vms(),
        spec.profile().cliName(), spec.lossPercent(), WanSpec.format(spec.wan().rtt()),
        WanSpec.format(spec.wan().jitter()), spec.wan().rateMbit(), (System.nanoTime() - start) / 1_000_000);
    return lab;
  }

  /**
   * A handle on an existing lab, reconstructed from its namespace names; the spec comes from the metadata
   * file when there is one, and so does which router each function sits behind (without a readable file,
   * each function is assumed to have its own router, as in labs without shared routers). The caller takes
   * ownership: {@link #close()} destroys the lab. No shutdown hook.
   *
   * @throws IllegalArgumentException if {@code runId} is malformed
   * @throws LabException if no namespace of that lab exists, or a precondition fails
   */
  public static Lab attach(String runId) {
    LabNames.checkRunId(runId);
    LabTools tools = LabPreconditions.checkThisProcess();
    return attach(runId, tools, new Namespaces(new CommandRunner(), tools),
        new LabMetadata(LabMetadata.DEFAULT_DIR));
  }

  static Lab attach(String runId, LabTools tools, Namespaces namespaces, LabMetadata metadata) {
    List<String> found = members(runId, namespaces.list());
    if (found.isEmpty()) {
      throw new LabException("no lab with run id " + runId + " (see `boxer lab list`)");
    }
    List<String> hostNames = new ArrayList<>();
    for (String ns : found) {
      LabNames.Parsed p = LabNames.parse(ns).orElseThrow();
      if (!p.role().equals(LabNames.PUBLIC) && !p.role().equals("nat")) {
        hostNames.add(p.member());
      }
    }
    hostNames.sort(Lab::compareHostNames);
    Optional<LabSpec> spec = metadata.read(runId);
    // Names alone cannot tell which router a function is behind; without a readable file, assume its own.
    NatGroups natGroups = spec.map(LabSpec::natGroups).orElse(NatGroups.ONE_EACH);
    List<LabHost> hosts = new ArrayList<>();
    for (String name : hostNames) {
      hosts.add(LabHost.of(runId, name, natGroups, tools));
    }
    return new Lab(runId, spec, hosts, found, namespaces, metadata);
  }

  /** Namespaces of lab {@code runId} among {@code all}, sorted. */
  static List<String> members(String runId, List<String> all) {
    List<String> found = new ArrayList<>();
    for (String ns : all) {
      LabNames.parse(ns).filter(p -> p.runId().equals(runId)).ifPresent(p -> found.add(ns));
    }
    Collections.sort(found);
    return found;
  }

  /** Orders seed first, then VMs, then functions, each by index. */
  static int compareHostNames(String a, String b) {
    return Integer.compare(rank(a), rank(b));
  }

  private static int rank(String hostName) {
    LabNames.Parsed p = new LabNames.Parsed("0000", hostName);
    switch (p.role()) {
      case "seed":
        return 0;
      case "vm":
        return 100 + p.index();
      default:
        return 200 + p.index();
    }
  }

  private static String claimRunId(LabSpec spec, Namespaces namespaces, LabMetadata metadata) {
    List<String> existing = namespaces.list();
    for (int attempt = 0; attempt < MAX_RUN_ID_ATTEMPTS; attempt++) {
      String id = LabNames.newRunId();
      String prefix = LabNames.namespacePrefix(id);
      if (existing.stream().noneMatch(n -> n.startsWith(prefix)) && metadata.claim(id, spec)) {
        return id;
      }
    }
    throw new LabException("no free lab run id after " + MAX_RUN_ID_ATTEMPTS
        + " attempts: remove stale labs with `boxer lab down --all`");
  }

  /** Runs one build step unless the lab was closed meanwhile (e.g. by the shutdown hook). */
  private void step(Runnable action) {
    synchronized (lock) {
      if (closed) {
        throw new LabException("lab " + runId + " was closed during the build");
      }
      action.run();
    }
  }

  /** The run id, 4 to 6 lower-case hex characters, e.g. {@code 3fa2}. */
  public String runId() {
    return runId;
  }

  /** The spec; empty only for an attached lab without a readable metadata file. */
  public Optional<LabSpec> spec() {
    return spec;
  }

  /**
   * What the lab's WAN delayer last reported (counts lag by up to a second); empty if the lab has no delayer
   * ({@link WanSpec#delays()} is false) or its status cannot be read.
   */
  public Optional<WanStatus> wanStatus() {
    return WanStatus.read(metadata.wanStatusFile(runId));
  }

  /** Hosts in order seed, vm1..vmV, fn1..fnK; unmodifiable. */
  public List<LabHost> hosts() {
    return List.copyOf(hosts.values());
  }

  /**
   * The host named {@code name}.
   *
   * @throws IllegalArgumentException if the lab has no such host, listing the ones it has
   */
  public LabHost host(String name) {
    LabHost h = hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException(
          "host : " + name + " (expected: one of " + String.join(", ", hosts.keySet()) + ")");
    }
    return h;
  }

  /** Every namespace of the lab this handle deletes on close (pub, seed, VMs, routers, functions). */
  public List<String> namespaces() {
    synchronized (lock) {
      return List.copyOf(owned);
    }
  }

  /**
   * Deletes every namespace of the lab (killing processes left in them) and its metadata file, and
   * removes the shutdown hook unless the JVM is already shutting down. Idempotent: after a successful
   * close, further calls do nothing.
   *
   * @throws LabException if some namespace could not be deleted; the others are deleted anyway and a
   *     later call retries
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      LabException failure = null;
      List<String> existing = namespaces.list();
      for (String ns : List.copyOf(owned)) {
        if (!existing.contains(ns)) {
          owned.remove(ns);
          continue;
        }
        try {
          namespaces.delete(ns);
          owned.remove(ns);
        } catch (LabException e) {
          if (failure == null) {
            failure = new LabException("lab " + runId + " teardown incomplete: " + e.getMessage(), e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        closed = false; // let a retry delete the rest
        throw failure;
      }
      metadata.delete(runId);
      removeShutdownHook();
      log.info("Lab down runId={}", runId);
    }
  }

  private void registerShutdownHook() {
    synchronized (lock) {
      Thread hook = new Thread(this::closeQuietly, "boxer-lab-" + runId + "-teardown");
      Runtime.getRuntime().addShutdownHook(hook);
      shutdownHook = hook;
    }
  }

  private void removeShutdownHook() {
    synchronized (lock) {
      Thread hook = shutdownHook;
      shutdownHook = null;
      if (hook == null || hook == Thread.currentThread()) {
        return;
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook is running or about to; it finds the lab closed and returns.
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("boxer lab " + runId + ": teardown at exit failed: " + e.getMessage());
    }
  }

  /**
   * Opens inbound TCP {@code port} in VM host {@code vm}'s security group, as an AWS user adds an inbound rule
   * (for services that clients reach without Boxer: a public API, a database on a VM). Idempotent enough for
   * a lab: adding a port twice adds a second identical rule. In a lab whose VMs have no firewall
   * ({@link VmFirewall#NONE}) every port is open already and the rule changes nothing.
   *
   * @throws IllegalArgumentException if {@code vm} is not a VM host of this lab or the port is not 1..65535
   * @throws LabException if the rule cannot be added
   */
  public void allowInboundTcp(String vm, int port) {
    LabHost host = host(vm);
    if (host.kind() != HostKind.VM) {
      throw new IllegalArgumentException("host : " + vm + " is a " + host.kind()
          + " (expected: a VM host; functions sit behind NATs and the seed accepts everything)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port : " + port + " (expected: 1..65535)");
    }
    namespaces.exec(host.namespace(), new SecurityGroupRules(namespaces.tools()).allowInboundTcp(port));
  }

  @Override
  public String toString() {
    return "Lab[" + runId + ", " + hosts.keySet() + "]";
  }
}
