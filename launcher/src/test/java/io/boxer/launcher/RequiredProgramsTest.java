package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequiredProgramsTest {
  @TempDir Path dir;

  private Path program(Path in, String name, String permissions) throws Exception {
    Files.createDirectories(in);
    return Files.createFile(in.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
  }

  @Test
  void find_takesTheFirstExecutableOnPath() throws Exception {
    program(dir.resolve("a"), "setsid", "rw-r--r--"); // not executable: skipped
    Path setsid = program(dir.resolve("b"), "setsid", "rwxr-xr-x");
    Path kill = program(dir.resolve("b"), "kill", "rwxr-xr-x");
    Path sh = program(dir.resolve("c"), "sh", "rwxr-xr-x");
    String path = String.join(File.pathSeparator, dir.resolve("a").toString(), "", dir.resolve("b").toString(),
        dir.resolve("c").toString());

    assertThat(RequiredPrograms.find(path)).isEqualTo(new RequiredPrograms(setsid, kill, sh));
  }

  @Test
  void find_withoutSetsid_namesItAndSaysWhatToInstall() throws Exception {
    program(dir, "kill", "rwxr-xr-x");
    program(dir, "sh", "rwxr-xr-x");

    assertThatThrownBy(() -> RequiredPrograms.find(dir.toString()))
        .isInstanceOf(RequiredPrograms.MissingProgramException.class)
        .hasMessage("PATH : " + dir + " has no setsid (expected: util-linux's setsid; install util-linux)");
  }

  @Test
  void find_withoutPath_findsNothing() {
    assertThatThrownBy(() -> RequiredPrograms.find(null)).isInstanceOf(RequiredPrograms.MissingProgramException.class);
  }
}
