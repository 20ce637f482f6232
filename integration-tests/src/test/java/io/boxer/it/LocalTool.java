package io.boxer.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A validator program on this machine (cfn-lint, systemd-analyze) that a test runs on a file. A missing one
 * fails the test with what to run, never skips it: CI installs them with bin/install-deps.
 *
 * @param program absolute path of the program
 */
record LocalTool(Path program) {

  /** What one run printed (standard output and error, interleaved) and its exit code. */
  record Result(int exitCode, String output) {}

  /** The first executable of {@code extraLocations} (a pinned install comes first), else {@code name} on PATH. */
  static LocalTool find(String name, String... extraLocations) {
    List<Path> candidates = new ArrayList<>();
    for (String location : extraLocations) {
      candidates.add(Path.of(location));
    }
    for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, name));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst().map(LocalTool::new)
        .orElseThrow(() -> new AssertionError(name + " is not installed (looked in " + List.of(extraLocations)
            + " and on PATH); run bin/install-deps as root, which installs it"));
  }

  /** Runs the program with {@code arguments}; fails the test when it does not end within two minutes. */
  Result run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile("boxer-tool-", ".out");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(output.toFile()).start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within 2 minutes");
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
