package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.Lab;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A NAT lab with a running seed, shared by one test class: builds the topology, starts {@code boxer seed}
 * on the seed host, starts programs under the real {@code bin/boxer}, and on close stops every process it
 * started (reverse order) before tearing the lab down. Each process's output stays in
 * {@code integration-tests/target/lab-logs/RUNID/NAME.log} for diagnosing a failed run.
 */
final class BoxerLab implements AutoCloseable {
  static final int SEED_PORT = 7946;

  private final Lab lab;
  private final Path home;
  /** This lab's join token: every {@code bin/boxer} command gets it as BOXER_TOKEN unless a test overrides it. */
  private final String token = newToken();
  private final Path appJava;
  private final List<HostProcess> processes = new ArrayList<>();
  private HostProcess seed;
  private int seedStarts;

  private BoxerLab(Lab lab, Path home, Path appJava) {
    this.lab = lab;
    this.home = home;
    this.appJava = appJava;
  }

  /** The seed's block of virtual addresses: inside the lab's 198.18.0.0/15, beyond its function segments. */
  static final String VIRTUAL_RANGE = "198.19.254.0/24";

  /** Creates the lab and starts the seed; example programs run on this test's own JVM. */
  static BoxerLab start(LabSpec spec) throws Exception {
    return start(spec, Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  /**
   * Creates the lab and starts the seed; example programs run on {@code appJava} (boxer itself runs on the
   * default JDK). Tears everything down again if that fails.
   */
  static BoxerLab start(LabSpec spec, Path appJava) throws Exception {
    if (!Files.isExecutable(appJava)) {
      throw new IllegalStateException("no java at " + appJava + " (set -Dboxer.jdk17.java / -Dboxer.jdk25.java)");
    }
    Path home = Path.of(System.getProperty("boxer.home", "..")).toAbsolutePath().normalize();
    Path boxer = home.resolve("bin/boxer");
    if (!Files.isExecutable(boxer) || !Files.isRegularFile(home.resolve("cli/target/boxer.jar"))
        || !Files.isRegularFile(home.resolve("agent/target/boxer-agent.jar"))
        || !Files.isRegularFile(home.resolve("examples/target/boxer-examples.jar"))) {
      throw new IllegalStateException("bin/boxer, the CLI (cli/target/boxer.jar), agent or examples jar is missing under "
          + home + ": run the integration tests through `mvn verify` from the repository root");
    }
    BoxerLab boxerLab = new BoxerLab(Lab.create(spec), home, appJava);
    try {
      boxerLab.startSeed();
      return boxerLab;
    } catch (Exception | AssertionError e) {
      boxerLab.close();
      throw e;
    }
  }

  LabHost host(String name) {
    return lab.host(name);
  }

  /**
   * Starts (or restarts) {@code boxer seed} on the seed host with the lab's token and waits until it listens: until
   * its ready file ({@code --ready-file}) exists.
   */
  HostProcess startSeed() throws IOException, InterruptedException {
    Path ready = logDir().resolve("seed-" + (++seedStarts) + ".ready.json");
    HostProcess started = start("seed-" + seedStarts, host("seed"),
        List.of("seed", "--port", Integer.toString(SEED_PORT), "--ready-file", ready.toString(),
            // virtual addresses (several functions behind one NAT) from the lab's own block, like every address
            "--virtual-range", VIRTUAL_RANGE));
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .failFast("the seed exited", () -> !started.isAlive())
          .until(() -> Files.exists(ready));
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError("boxer seed is not ready (" + e.getMessage() + "):\n" + started.output(), e);
    }
    seed = started;
    return started;
  }

  /** Opens inbound TCP {@code port} of VM {@code vm}'s security group (e.g. for another seed there). */
  void allowInboundTcp(String vm, int port) {
    lab.allowInboundTcp(vm, port);
  }

  /** The running seed process. */
  HostProcess seed() {
    return seed;
  }

  /** The pids of every process running in lab host {@code name}. */
  List<Long> pids(String name) throws IOException, InterruptedException {
    Process pids = new ProcessBuilder("ip", "netns", "pids", host(name).namespace()).start();
    String out = new String(pids.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    pids.waitFor();
    return out.isEmpty() ? List.of() : java.util.Arrays.stream(out.split("\\s+")).map(Long::parseLong).toList();
  }

  /**
   * Waits until every thread of every process in lab host {@code name} is stopped (state T in
   * /proc/PID/task/TID/stat), up to {@code timeout}: {@code kill -STOP} returns when the signal is sent, and each
   * thread stops only when it next runs, which on a loaded machine can be milliseconds later.
   */
  void awaitStopped(String name, Duration timeout) throws IOException, InterruptedException {
    List<Long> pids = pids(name);
    await().atMost(timeout).pollInterval(Duration.ofMillis(5)).pollInSameThread()
        .until(() -> pids.stream().allMatch(BoxerLab::allThreadsStopped));
  }

  private static boolean allThreadsStopped(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (java.util.stream.Stream<Path> threads = Files.list(tasks)) {
      return threads.allMatch(t -> {
        try {
          String stat = Files.readString(t.resolve("stat"));
          char state = stat.charAt(stat.lastIndexOf(')') + 2); // the name in parentheses may hold spaces
          return state == 'T' || state == 't' || state == 'Z' || state == 'X';
        } catch (IOException e) {
          return true; // the thread is gone
        }
      });
    } catch (IOException e) {
      return true; // the process is gone
    }
  }

  /**
   * Sends {@code signal} (e.g. "KILL", "STOP", "CONT") to every process in lab host {@code name}; one that exits
   * meanwhile is no error.
   */
  void signalAll(String name, String signal) throws IOException, InterruptedException {
    Signals.send(signal, pids(name));
  }

  /** This lab's join token. */
  String token() {
    return token;
  }

  /** A join token with 256 random bits, as `boxer seed` generates them. */
  static String newToken() {
    byte[] bits = new byte[32];
    new java.security.SecureRandom().nextBytes(bits);
    return "boxer_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /** The agent jar that {@code boxer run} attaches. */
  Path agentJar() {
    return home.resolve("agent/target/boxer-agent.jar");
  }

  /**
   * A class-data-sharing archive for the example programs' java, written to {@code file} as a user (or the Lambda
   * image's build) writes one: {@code java -cp boxer-agent.jar io.boxer.agent.PrepareClassDataArchive FILE}, on
   * this machine (the archive's workload uses loopback only).
   */
  Path classDataArchive(Path file) throws IOException, InterruptedException {
    Path log = file.resolveSibling(file.getFileName() + ".log");
    Process prepare = new ProcessBuilder(appJava.toString(), "-cp", agentJar().toString(),
        "io.boxer.agent.PrepareClassDataArchive", file.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!prepare.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
      prepare.destroyForcibly().waitFor();
      throw new IllegalStateException("PrepareClassDataArchive did not end within 120 s");
    }
    assertThat(prepare.exitValue()).as(Files.readString(log)).isZero();
    return file;
  }

  /**
   * The seed's view of the cluster: {@code boxer status --seed SEED --json}, run on the seed host, as the JSON
   * document it printed (boxer's log lines, if any, go around it).
   */
  JsonObject seedStatus(Duration within) throws IOException, InterruptedException {
    HostProcess status = start("seed-status", host("seed"), List.of("status", "--seed", seedAddress(), "--json"));
    assertThat(status.awaitExit(within)).as(status.output()).isZero();
    String output = status.output();
    return JsonParser.parseString(output.substring(output.indexOf('{'), output.lastIndexOf('}') + 1))
        .getAsJsonObject();
  }

  String seedAddress() {
    return lab.host("seed").address().getHostAddress() + ":" + SEED_PORT;
  }

  /** Runs {@code bin/boxer ARGS...} in a lab host. */
  HostProcess start(String name, LabHost host, List<String> boxerArgs) throws IOException {
    return start(name, host, Map.of(), boxerArgs);
  }

  /**
   * Runs {@code bin/boxer ARGS...} in a lab host with extra environment variables; BOXER_TOKEN is the lab's
   * token unless {@code env} sets it (an empty value unsets it).
   */
  HostProcess start(String name, LabHost host, Map<String, String> env, List<String> boxerArgs) throws IOException {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    all.put("BOXER_TOKEN", token);
    all.putAll(env);
    List<String> command = new ArrayList<>();
    if (all.get("BOXER_TOKEN").isEmpty()) {
      all.remove("BOXER_TOKEN");
      command.addAll(List.of("env", "-u", "BOXER_TOKEN"));
    }
    command.add(home.resolve("bin/boxer").toString());
    command.addAll(boxerArgs);
    return startCommand(name, all, host.command(command));
  }

  /** Runs {@code boxer run --seed SEED [--members N] -- java -cp TESTCLASSES MAIN ARGS...} in a lab host. */
  HostProcess run(String name, LabHost host, Integer members, Class<?> main, String... args) throws IOException {
    List<String> boxerArgs = new ArrayList<>(List.of("run", "--seed", seedAddress()));
    if (members != null) {
      boxerArgs.addAll(List.of("--members", members.toString()));
    }
    boxerArgs.add("--");
    boxerArgs.addAll(java(main, args));
    return start(name, host, boxerArgs);
  }

  /**
   * Runs {@code boxer run --seed SEED [--members N] -- JAVA -cp CLASSPATH MAIN ARGS...} in a lab host: a program
   * from any jar (e.g. {@link #file(String) file("examples-grpc/target/boxer-examples-grpc.jar")}) on any java.
   */
  HostProcess run(String name, LabHost host, Integer members, Path java, Path classPath, String main, String... args)
      throws IOException {
    return run(name, host, members, java, List.of(), classPath, main, args);
  }

  /** As {@link #run(String, LabHost, Integer, Path, Path, String, String...)}, with JVM options before -cp. */
  HostProcess run(String name, LabHost host, Integer members, Path java, List<String> jvmOptions, Path classPath,
      String main, String... args) throws IOException {
    List<String> boxerArgs = new ArrayList<>(List.of("run", "--seed", seedAddress()));
    if (members != null) {
      boxerArgs.addAll(List.of("--members", members.toString()));
    }
    boxerArgs.add("--");
    boxerArgs.add(java.toString());
    boxerArgs.addAll(jvmOptions);
    boxerArgs.addAll(List.of("-cp", classPath.toString(), main));
    boxerArgs.addAll(List.of(args));
    return start(name, host, boxerArgs);
  }

  /** The java that runs the lab's applications. */
  Path appJava() {
    return appJava;
  }

  /** A file of the Boxer build, by its path relative to the repository root. */
  Path file(String relative) {
    return home.resolve(relative);
  }

  /** Runs a test program directly in a lab host, without Boxer. */
  HostProcess runWithoutBoxer(String name, LabHost host, Class<?> main, String... args) throws IOException {
    return startCommand(name, Map.of(), host.command(java(main, args)));
  }

  /** Runs {@code JAVA -cp CLASSPATH MAIN ARGS...} directly in a lab host, without Boxer. */
  HostProcess runWithoutBoxer(String name, LabHost host, Path java, Path classPath, String main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classPath.toString(), main));
    command.addAll(List.of(args));
    return startCommand(name, Map.of(), host.command(command));
  }

  /** Runs {@code COMMAND...} in a lab host with exactly these extra environment variables, without Boxer. */
  HostProcess runWithoutBoxer(String name, LabHost host, Map<String, String> env, List<String> command)
      throws IOException {
    return startCommand(name, env, host.command(command));
  }

  /**
   * Runs {@code command} as given: one already placed in a namespace ({@link LabHost#command},
   * {@link LabHost#natCommand}), with boxer's log at INFO and {@code env} added to the environment.
   */
  HostProcess startCommand(String name, Map<String, String> env, List<String> command) throws IOException {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    all.put("BOXER_LOG_LEVEL", "info");
    all.putAll(env);
    HostProcess process = HostProcess.startCommand(name, all, command, logFile(name));
    synchronized (processes) {
      processes.add(process);
    }
    return process;
  }

  /** The example programs run from their own jar: nothing of Boxer or of the tests on their class path. */
  List<String> java(Class<?> main, String... args) {
    List<String> command = new ArrayList<>(List.of(
        appJava.toString(),
        "-cp", home.resolve("examples/target/boxer-examples.jar").toString(),
        main.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /** Where this lab's logs and ready files go. */
  private Path logDir() throws IOException {
    return Files.createDirectories(home.resolve("integration-tests/target/lab-logs/" + lab.runId()));
  }

  /** A new log file for process {@code name}: NAME.log, or NAME-2.log and so on when the name comes again. */
  private Path logFile(String name) throws IOException {
    String base = name.replaceAll("[^A-Za-z0-9._-]", "_");
    Path dir = logDir();
    synchronized (processes) {
      Path log = dir.resolve(base + ".log");
      for (int n = 2; Files.exists(log); n++) {
        log = dir.resolve(base + "-" + n + ".log");
      }
      Files.createFile(log);
      return log;
    }
  }

  @Override
  public void close() {
    try {
      List<HostProcess> toStop;
      synchronized (processes) {
        toStop = new ArrayList<>(processes);
      }
      for (int i = toStop.size() - 1; i >= 0; i--) {
        toStop.get(i).close();
      }
    } finally {
      lab.close();
    }
  }
}
