package io.boxer.lambda;

import io.boxer.launcher.AgentLoading;
import io.boxer.launcher.ChildSupervisor;
import io.boxer.launcher.CommandEnvironment;
import io.boxer.launcher.OutputTail;
import io.boxer.launcher.PeersFile;
import io.boxer.launcher.RequiredPrograms;
import io.boxer.node.BoxerNode;
import io.boxer.node.JoinException;
import io.boxer.node.membership.Peer;
import io.boxer.proto.function.v1.FunctionRunResult;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code boxer run} for one invocation: joins the cluster, waits at the member barrier, runs the command with the
 * agent, and stops everything by a given instant (the function's deadline less a margin), so that the node has
 * left the mesh and the command is gone before Lambda freezes or ends the execution environment.
 *
 * <p>Not thread-safe: one invocation at a time, as Lambda calls a handler.
 */
final class FunctionRunner {
  private static final Logger log = LoggerFactory.getLogger(FunctionRunner.class);
  /** How much of the command's output the result carries. */
  static final int TAIL_BYTES = 4096;
  static final String DEADLINE_REASON = "the function's deadline is near";

  /** Where an invocation is: the deadline interrupts joining and waiting, but only stops a running command. */
  private enum Phase { JOINING, COMMAND, EXPIRED, DONE }

  private final AgentLoading agent;
  private final String path;
  private final Path tempRoot;

  FunctionRunner(AgentLoading agent, String path, Path tempRoot) {
    this.agent = agent;
    this.path = path;
    this.tempRoot = tempRoot;
  }

  /**
   * Runs the request; everything it started is stopped and the node has left when this returns.
   *
   * @param stopAtNanos the {@link System#nanoTime} by which the command must be stopped
   */
  FunctionRunResult run(RunRequest request, long stopAtNanos) throws InterruptedException {
    AtomicBoolean deadlineReached = new AtomicBoolean();
    FunctionRunResult.Builder result = run(request, stopAtNanos, deadlineReached);
    return result.setDeadlineReached(deadlineReached.get()).build();
  }

  private FunctionRunResult.Builder run(RunRequest request, long stopAtNanos, AtomicBoolean deadlineReached)
      throws InterruptedException {
    FunctionRunResult.Builder result = FunctionRunResult.newBuilder();
    ChildSupervisor supervisor;
    try {
      supervisor = ChildSupervisor.startWithoutSignals(path, tempRoot);
    } catch (RequiredPrograms.MissingProgramException | IOException e) {
      return result.setExitCode(2).setReason("cannot supervise the command: " + e.getMessage());
    }
    try (supervisor;
        BoxerNode node = new BoxerNode(request.nodeConfig().withAgentSocket(agentSocket(supervisor)),
            new CompositeMeterRegistry())) {
      Deadline deadline = new Deadline(Thread.currentThread(), supervisor, deadlineReached);
      deadline.start(stopAtNanos);
      try {
        return runAsMember(request, node, supervisor, deadline, stopAtNanos, result);
      } finally {
        deadline.cancel(); // before the node closes: no deadline interrupt may cut its goodbye short
      }
    }
  }

  private FunctionRunResult.Builder runAsMember(RunRequest request, BoxerNode node, ChildSupervisor supervisor,
      Deadline deadline, long stopAtNanos, FunctionRunResult.Builder result) throws InterruptedException {
    try {
      node.start();
      Peer self = node.self();
      result.setNodeId(self.id()).setExternalAddress(self.externalIp().getHostAddress());
      if (request.members() > 0) {
        Duration untilStop = Duration.ofNanos(Math.max(0, stopAtNanos - System.nanoTime()));
        boolean deadlineFirst = untilStop.compareTo(request.barrierTimeout()) < 0;
        Duration timeout = deadlineFirst ? untilStop : request.barrierTimeout();
        if (!node.awaitMesh(request.members(), timeout,
            count -> log.info("waiting for members {}/{}", count, request.members()))) {
          if (deadlineFirst) {
            deadline.reached();
            return result.setExitCode(1).setReason(DEADLINE_REASON + " before " + request.members()
                + " members were meshed (" + node.readyMembers() + " were)");
          }
          return result.setExitCode(1).setReason("only " + node.readyMembers() + " of " + request.members()
              + " members meshed after " + request.barrierTimeout().toSeconds() + " s");
        }
      }
    } catch (JoinException e) {
      return result.setExitCode(1).setReason(e.getMessage());
    } catch (InterruptedException e) {
      if (!deadline.expired()) {
        throw e;
      }
      return result.setExitCode(1).setReason(DEADLINE_REASON + " before the command could start");
    } catch (IOException e) {
      return result.setExitCode(1).setReason("cannot start the node: " + e.getMessage());
    }
    if (!deadline.enterCommand()) {
      return result.setExitCode(1).setReason(DEADLINE_REASON + " before the command could start");
    }
    PeersFile peers = new PeersFile(supervisor.workDir().resolve("peers"));
    node.addMembershipListener(peers::write);
    node.fatal().thenAccept(supervisor::stopCommand);
    OutputTail tail = new OutputTail(TAIL_BYTES);
    try {
      ChildSupervisor.CommandExit exit = supervisor.runCommand(request.command(), environment(request, node.self(),
          peers, agentSocket(supervisor)), tail);
      result.setExitCode(exit.exitCode()).setReason(exit.reason());
    } catch (IOException e) {
      result.setExitCode(1).setReason("cannot start the command: " + e.getMessage());
    } finally {
      result.setOutputTail(tail.text());
    }
    log.info("The command ended; leaving the cluster. exitCode={} reason={}", result.getExitCode(), result.getReason());
    return result;
  }

  /**
   * The deadline's one timer: while the node joins or waits at the barrier it interrupts the invocation's thread;
   * once the command runs it stops the command. {@link #cancel} stops the timer and waits for it, so nothing
   * interrupts the thread afterwards.
   */
  private static final class Deadline {
    private final Thread caller;
    private final ChildSupervisor supervisor;
    private final AtomicBoolean reached;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.JOINING);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "boxer-function-deadline");
      t.setDaemon(true);
      return t;
    });

    Deadline(Thread caller, ChildSupervisor supervisor, AtomicBoolean reached) {
      this.caller = caller;
      this.supervisor = supervisor;
      this.reached = reached;
    }

    void start(long stopAtNanos) {
      timer.schedule(() -> {
        if (phase.compareAndSet(Phase.JOINING, Phase.EXPIRED)) {
          reached.set(true);
          caller.interrupt();
        } else if (phase.compareAndSet(Phase.COMMAND, Phase.DONE)) {
          reached.set(true);
          supervisor.stopCommand(DEADLINE_REASON);
        }
      }, Math.max(0, stopAtNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** The barrier wait ended at the deadline itself. */
    void reached() {
      reached.set(true);
    }

    boolean expired() {
      return phase.get() == Phase.EXPIRED;
    }

    /** Whether the command may start: false if the deadline came first. */
    boolean enterCommand() {
      return phase.compareAndSet(Phase.JOINING, Phase.COMMAND);
    }

    void cancel() {
      phase.set(Phase.DONE);
      timer.shutdownNow();
      boolean stopped = false;
      for (int attempt = 0; attempt < 2 && !stopped; attempt++) {
        Thread.interrupted(); // an interrupt the timer sent before it saw DONE; it sends at most one
        try {
          stopped = timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          // that one interrupt, arriving now: wait again
        }
      }
      Thread.interrupted();
      if (!stopped) {
        log.warn("The deadline timer did not stop in time; leaving the cluster anyway.");
      }
    }
  }

  private static Path agentSocket(ChildSupervisor supervisor) {
    return supervisor.workDir().resolve("agent.sock");
  }

  private Map<String, String> environment(RunRequest request, Peer self, PeersFile peers, Path agentSocket) {
    Map<String, String> env = new HashMap<>(request.environment());
    String javaToolOptions = request.environment().getOrDefault("JAVA_TOOL_OPTIONS", System.getenv("JAVA_TOOL_OPTIONS"));
    env.putAll(CommandEnvironment.of(self, peers, agentSocket, agent, javaToolOptions));
    return env;
  }
}
