package io.boxer.agent.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes the CDS archive of {@code io.boxer.agent.PrepareClassDataArchive} with the JVM that runs it, in three
 * child JVMs of that {@code java}: the {@link ClassDataWorkload} with the agent, dumping its class list; the
 * archive's dump from that list merged into the JDK's default list ({@link ClassListMerge}), with
 * {@code --add-modules java.instrument} as {@code -javaagent} implies (a JVM keeps the archived module graph
 * only when its module options match the dump's); then the workload again with the agent and the archive under
 * {@code -Xshare:on}, which exits non-zero unless the JVM can map it. Only then does the archive replace
 * {@code output}, atomically. Exit codes: 0 done, 1 failed, with the step and its output's tail on {@code err}.
 */
public final class ClassDataArchivePreparation {
  private static final long STEP_TIMEOUT_SECONDS = 300;
  private static final int OUTPUT_TAIL_LINES = 20;
  /** Options that would change what the child JVMs load (another agent, other flags), not inherited. */
  private static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
      "JDK_JAVA_OPTIONS");

  private ClassDataArchivePreparation() {}

  /** Writes the archive to {@code output}; returns the exit code. */
  public static int run(Path output, PrintStream out, PrintStream err) {
    Path target = output.toAbsolutePath();
    Path agentJar = AgentInstaller.codeSource();
    if (agentJar == null) {
      err.println("cannot tell where boxer-agent.jar is (the agent's classes have no code source)");
      return 1;
    }
    if (!Files.isRegularFile(agentJar) || !agentJar.getFileName().toString().endsWith(".jar")) {
      err.println("run this from boxer-agent.jar (java -cp boxer-agent.jar io.boxer.agent.PrepareClassDataArchive "
          + "ARCHIVE), not from " + agentJar);
      return 1;
    }
    if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
      err.println("ARCHIVE : " + output + " (expected: a file in an existing directory)");
      return 1;
    }
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path java = javaHome.resolve("bin").resolve("java");
    Path work = null;
    Path dumped = null;
    try {
      work = Files.createTempDirectory("boxer-cds-");
      Path socket = work.resolve("no-node.sock");
      Path runList = work.resolve("workload.classlist");
      run(err, work, "the workload with the agent, listing its classes",
          List.of(java.toString(), "-XX:DumpLoadedClassList=" + runList, "-javaagent:" + agentJar, "-cp",
              agentJar.toString(), ClassDataWorkload.class.getName(), socket.toString()), socket);

      Path defaultList = javaHome.resolve("lib").resolve("classlist");
      List<String> jdkDefault = List.of();
      if (Files.isRegularFile(defaultList)) {
        jdkDefault = Files.readAllLines(defaultList, StandardCharsets.UTF_8);
      } else {
        err.println("note: " + defaultList + " is missing; the archive holds only the classes the workload loaded");
      }
      List<String> merged = ClassListMerge.merge(jdkDefault, Files.readAllLines(runList, StandardCharsets.UTF_8));
      Path mergedList = work.resolve("boxer.classlist");
      Files.write(mergedList, merged, StandardCharsets.UTF_8);

      dumped = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      run(err, work, "the archive's dump", List.of(java.toString(), "-Xshare:dump",
          "-XX:SharedClassListFile=" + mergedList, "-XX:SharedArchiveFile=" + dumped, "--add-modules",
          "java.instrument"), socket);
      run(err, work, "the workload with the agent and the archive (-Xshare:on)",
          List.of(java.toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + dumped, "-javaagent:" + agentJar, "-cp",
              agentJar.toString(), ClassDataWorkload.class.getName(), socket.toString()), socket);
      Files.move(dumped, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      dumped = null;
      out.println("archive " + target + " (" + Files.size(target) + " bytes, " + merged.size() + " classes and "
          + "directives) for " + java + " " + System.getProperty("java.vm.version"));
      return 0;
    } catch (StepFailed e) {
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("cannot write " + target + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("interrupted");
      return 1;
    } finally {
      deleteQuietly(dumped);
      deleteTree(work);
    }
  }

  private static void run(PrintStream err, Path work, String step, List<String> command, Path socket)
      throws IOException, InterruptedException, StepFailed {
    Path log = work.resolve("step.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeAll(JVM_OPTION_VARIABLES);
    builder.environment().put("BOXER_AGENT_SOCKET", socket.toString());
    Process process = builder.start();
    if (!process.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new StepFailed(step + " did not end within " + STEP_TIMEOUT_SECONDS + " s: " + String.join(" ", command)
          + tail(log));
    }
    if (process.exitValue() != 0) {
      throw new StepFailed(step + " exited " + process.exitValue() + ": " + String.join(" ", command) + tail(log));
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    List<String> last = lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL_LINES), lines.size());
    return last.isEmpty() ? " (no output)" : "\n  " + String.join("\n  ", last);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temporary file beside the archive; the next run replaces its own
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(ClassDataArchivePreparation::deleteQuietly);
    } catch (NoSuchFileException ignored) {
      // already gone
    } catch (IOException ignored) {
      // a temporary directory left behind; nothing depends on it
    }
  }

  private static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StepFailed(String message) {
      super(message);
    }
  }
}
