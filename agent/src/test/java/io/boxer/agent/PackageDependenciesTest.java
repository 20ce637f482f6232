package io.boxer.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.agent.rewrite.EntryHook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages depend one way: {@code internal} (the installer) on the instrumentations ({@code nio},
 * {@code netty}), and those on the bytecode tooling ({@code rewrite}), never back. Checked on the compiled
 * classes: a class file names every class it refers to in its constant pool.
 */
class PackageDependenciesTest {

  @Test
  void instrumentations_doNotReferToTheInstaller() throws Exception {
    assertThat(classesReferringTo("nio", "io/boxer/agent/internal/")).isEmpty();
    assertThat(classesReferringTo("netty", "io/boxer/agent/internal/")).isEmpty();
  }

  @Test
  void rewrite_refersToNoOtherPackageOfTheAgent() throws Exception {
    for (String other : List.of("internal", "nio", "netty")) {
      assertThat(classesReferringTo("rewrite", "io/boxer/agent/" + other + "/")).isEmpty();
    }
  }

  /** The class files of package {@code io.boxer.agent.<pkg>} whose bytes contain {@code internalNamePrefix}. */
  private static List<String> classesReferringTo(String pkg, String internalNamePrefix) throws Exception {
    Path classes = Path.of(EntryHook.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = classes.resolve("io/boxer/agent").resolve(pkg);
    assertThat(dir).isDirectory();
    byte[] needle = internalNamePrefix.getBytes(StandardCharsets.US_ASCII);
    List<String> referring = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        if (contains(Files.readAllBytes(file), needle)) {
          referring.add(file.getFileName().toString());
        }
      }
    }
    return referring;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
