package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code boxer run} loses nothing on any exit path, through the real bin/boxer in one lab: each forwarded
 * signal reaches the command's whole process group; SIGKILL of boxer takes the group and the work directory
 * with it; a signal at the barrier stops boxer with 128+N and no work directory left; what the command leaves
 * in its group is stopped when it exits. Processes are counted through /proc (the lab hosts share the test's
 * pid namespace). Every test has a host of its own: a SIGKILLed node stays a member until the seed evicts it.
 */
@Tag("lab")
class ProcessSupervisionIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration EXIT = Duration.ofSeconds(20);
  private static final Pattern AGENT_SOCKET = Pattern.compile("(/\\S*/boxer-node-[^/\\s]+)/agent\\.sock");
  private static BoxerLab lab;

  @BeforeAll
  static void startLab() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(4).vms(4).profile(NatProfile.LAMBDA).build());
  }

  @AfterAll
  static void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  /**
   * {@code boxer run -- sh -c CHILD sh GRANDCHILD}: the child records {@code signal} and exits 42 once its
   * grandchild, which records it too, has exited. The grandchild runs in the foreground: a background job of
   * a non-interactive shell ignores INT and QUIT, and a shell cannot trap what it was started ignoring.
   */
  private static HostProcess startRecording(String name, String host, String signal) throws IOException {
    String child = "ulimit -c 0; trap 'echo child-got-" + signal + "; exit 42' " + signal
        + "; echo child=$$; echo socket=$BOXER_AGENT_SOCKET; sh -c \"$1\"";
    String grandchild = "trap 'echo grandchild-got-" + signal + "; exit 0' " + signal
        + "; echo grandchild=$$; echo ready; while :; do sleep 0.1; done";
    return lab.start(name, lab.host(host), List.of("run", "--seed", lab.seedAddress(), "--",
        "sh", "-c", child, "sh", grandchild));
  }

  @ParameterizedTest(name = "SIG{0}")
  @CsvSource({"TERM, fn1", "INT, fn2", "HUP, fn3", "QUIT, fn4"})
  void signal_reachesTheCommandsWholeGroup_andTheCommandsExitCodeIsBoxers(String signal, String host)
      throws Exception {
    HostProcess run = startRecording(host + "-" + signal, host, signal);
    run.awaitLine(l -> l.equals("ready"), START);
    Path workDir = workDir(run);

    run.signal(signal);

    assertThat(run.awaitExit(EXIT)).as(run.output()).isEqualTo(42);
    assertThat(run.output()).contains("grandchild-got-" + signal, "child-got-" + signal,
        "boxer: the command exited with code 42 after boxer forwarded SIG" + signal + " to its process group");
    assertThat(workDir).doesNotExist();
  }

  @Test
  void sigkillOfBoxer_killsTheCommandsGroup_andRemovesTheWorkDirectory() throws Exception {
    HostProcess run = startRecording("vm1-kill", "vm1", "TERM");
    run.awaitLine(l -> l.equals("ready"), START);
    long child = pid(run, "child=");
    long grandchild = pid(run, "grandchild=");
    Path workDir = workDir(run);
    assertThat(workDir.resolve("agent.sock")).exists();

    run.signal("KILL");

    assertThat(run.awaitExit(EXIT)).isEqualTo(137);
    awaitDead(child, Duration.ofSeconds(2), "child " + child);
    awaitDead(grandchild, Duration.ofSeconds(2), "grandchild " + grandchild);
    await(workDir + " removed").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
        .until(() -> !Files.exists(workDir));
    run.awaitLine(l -> l.startsWith("boxer: boxer (pid " + run.pid() + ") died before cleaning up"), EXIT);
  }

  @ParameterizedTest(name = "SIG{0}")
  @CsvSource({"HUP, vm2", "QUIT, vm3"})
  void signalAtTheBarrier_stopsBoxerWith128PlusN_andRemovesTheWorkDirectory(String signal, String host)
      throws Exception {
    HostProcess run = lab.start(host + "-barrier", lab.host(host), List.of("run", "--seed", lab.seedAddress(),
        "--members", "5", "--", "sh", "-c", "echo the-command-ran"));
    run.awaitLine(l -> l.startsWith("waiting for members"), START);
    Path workDir = listeningAgentSocket(run).getParent();

    run.signal(signal);

    int expected = 128 + ("HUP".equals(signal) ? 1 : 3);
    assertThat(run.awaitExit(EXIT)).as(run.output()).isEqualTo(expected);
    assertThat(run.output()).contains("boxer: stopped by SIG" + signal + " before the command ran")
        .doesNotContain("the-command-ran");
    assertThat(workDir).doesNotExist();
  }

  @Test
  void whatTheCommandLeavesInItsGroup_isStoppedWhenItExits() throws Exception {
    HostProcess run = lab.start("vm4-leftover", lab.host("vm4"), List.of("run", "--seed", lab.seedAddress(), "--",
        "sh", "-c", "sleep 1000 & echo leftover=$!; echo socket=$BOXER_AGENT_SOCKET; exit 3"));

    assertThat(run.awaitExit(START)).as(run.output()).isEqualTo(3);
    long leftover = pid(run, "leftover=");
    assertThat(alive(leftover)).as("the background sleep %d outlived boxer", leftover).isFalse();
    assertThat(workDir(run)).doesNotExist();
    assertThat(run.output()).contains("boxer: the command exited with code 3");
  }

  private static long pid(HostProcess run, String prefix) throws IOException, InterruptedException {
    return Long.parseLong(run.awaitLine(l -> l.startsWith(prefix), START).substring(prefix.length()));
  }

  /** The work directory, from the BOXER_AGENT_SOCKET the command printed. */
  private static Path workDir(HostProcess run) throws IOException, InterruptedException {
    String prefix = "socket=";
    return Path.of(run.awaitLine(l -> l.startsWith(prefix), START).substring(prefix.length())).getParent();
  }

  /** The agent socket boxer's node listens on, from the kernel's table of Unix sockets in boxer's netns. */
  private static Path listeningAgentSocket(HostProcess run) throws IOException {
    Matcher m = AGENT_SOCKET.matcher(Files.readString(Path.of("/proc", Long.toString(run.pid()), "net", "unix")));
    assertThat(m.find()).as("no agent socket in /proc/%d/net/unix", run.pid()).isTrue();
    return Path.of(m.group(1), "agent.sock");
  }

  /** Alive: has a /proc entry and is not a zombie (this machine's init may never reap orphans). */
  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.substring(stat.lastIndexOf(')') + 1).trim().charAt(0);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitDead(long pid, Duration timeout, String what) {
    await(what + " gone").atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> !alive(pid));
  }
}
