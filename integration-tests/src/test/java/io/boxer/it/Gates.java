package io.boxer.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory for the files a test creates to let a lab program go on ({@code ConnectLoad
 * --start-file/--exit-file}): lab hosts are network namespaces that share the test's file system.
 */
final class Gates {
  private Gates() {}

  /** A new empty directory under the system's temporary directory. */
  static Path create(String prefix) throws IOException {
    return Files.createTempDirectory(prefix);
  }

  /** Deletes {@code dir} and what is in it; null or already gone is fine. */
  static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
