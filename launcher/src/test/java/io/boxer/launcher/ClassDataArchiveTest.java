package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
  @TempDir Path dir;

  @Test
  void unsetOrBlank_meansTheJdksOwnArchive() {
    assertThat(ClassDataArchive.check("--class-data-archive", null)).isNull();
    assertThat(ClassDataArchive.check("--class-data-archive", " ")).isNull();
  }

  @Test
  void aFileThatStartsLikeAStaticArchive_isAccepted_asAnAbsolutePath() throws IOException {
    Path archive = archive(dir.resolve("agent.jsa"), ClassDataArchive.STATIC_ARCHIVE_MAGIC);
    assertThat(ClassDataArchive.check("--class-data-archive", archive.toString())).isEqualTo(archive.toRealPath());
  }

  @Test
  void missingFile_directory_otherMagic_shortFile_orASpace_areRefusedNamingTheSetting() throws IOException {
    assertThatThrownBy(() -> ClassDataArchive.check("BOXER_CLASS_DATA_ARCHIVE", dir.resolve("none.jsa").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("BOXER_CLASS_DATA_ARCHIVE : " + dir.resolve("none.jsa") + " is not a file")
        .hasMessageContaining("PrepareClassDataArchive");
    assertThatThrownBy(() -> ClassDataArchive.check("--class-data-archive", dir.toString()))
        .hasMessageContaining("is not a file");
    // 0xf00baba8 starts a dynamic archive (-XX:ArchiveClassesAtExit), which sits on a base archive of its own
    Path dynamic = archive(dir.resolve("dynamic.jsa"), 0xf00baba8);
    assertThatThrownBy(() -> ClassDataArchive.check("--class-data-archive", dynamic.toString()))
        .hasMessageContaining("is not a static CDS archive");
    Path tiny = Files.write(dir.resolve("tiny.jsa"), new byte[] {(byte) 0xa2, (byte) 0xba});
    assertThatThrownBy(() -> ClassDataArchive.check("--class-data-archive", tiny.toString()))
        .hasMessageContaining("is not a static CDS archive");
    Path spaced = archive(Files.createDirectory(dir.resolve("with space")).resolve("agent.jsa"),
        ClassDataArchive.STATIC_ARCHIVE_MAGIC);
    assertThatThrownBy(() -> ClassDataArchive.check("--class-data-archive", spaced.toString()))
        .hasMessageContaining("a path without spaces");
  }

  @Test
  void anArchiveOthersCouldChange_isRefused_forTheJvmsWouldLoadJdkClassesFromIt() throws IOException {
    Path groupWritable = archive(dir.resolve("group.jsa"), ClassDataArchive.STATIC_ARCHIVE_MAGIC);
    Files.setPosixFilePermissions(groupWritable, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThatThrownBy(() -> ClassDataArchive.check("--class-data-archive", groupWritable.toString()))
        .hasMessageContaining("is writable by group or others (mode 664");

    Path shared = Files.createDirectory(dir.resolve("shared"));
    Path inShared = archive(shared.resolve("agent.jsa"), ClassDataArchive.STATIC_ARCHIVE_MAGIC);
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> ClassDataArchive.check("--class-data-archive", inShared.toString()))
        .hasMessageContaining("is in " + shared + ", which others can write to (mode 777");
    // sticky, as /tmp is: only an entry's owner may replace it
    Files.setAttribute(shared, "unix:mode", 01777);
    assertThat(ClassDataArchive.check("--class-data-archive", inShared.toString())).isEqualTo(inShared);
  }

  @Test
  void anArchiveOfAnotherUser_isRefused() throws IOException {
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "chown needs root (CI is)");
    Path foreign = archive(dir.resolve("foreign.jsa"), ClassDataArchive.STATIC_ARCHIVE_MAGIC);
    Files.setAttribute(foreign, "unix:uid", 4242);
    assertThatThrownBy(() -> ClassDataArchive.check("--class-data-archive", foreign.toString()))
        .hasMessageContaining("is owned by uid 4242");
  }

  @Test
  void aSymbolicLink_isResolved_soTheJvmsGetTheCheckedFile() throws IOException {
    Path archive = archive(dir.resolve("agent.jsa"), ClassDataArchive.STATIC_ARCHIVE_MAGIC);
    Path link = Files.createSymbolicLink(dir.resolve("current.jsa"), archive);
    assertThat(ClassDataArchive.check("--class-data-archive", link.toString())).isEqualTo(archive.toRealPath());
  }

  @Test
  void theCommandsJava_mustBeAbleToMapTheArchive_otherCommandsAreNotChecked() throws Exception {
    String jdk25 = System.getProperty("boxer.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    String jdk17 = System.getProperty("boxer.jdk17.java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    Path archive = dir.resolve("jdk25.jsa");
    Process dump = new ProcessBuilder(jdk25, "-Xshare:dump", "-XX:SharedArchiveFile=" + archive)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dump.exitValue()).isZero();

    ClassDataArchive.checkUsableBy("--class-data-archive", archive, List.of(jdk25, "-jar", "app.jar"), null);
    assertThatThrownBy(() -> ClassDataArchive.checkUsableBy("--class-data-archive", archive,
        List.of(jdk17, "-jar", "app.jar"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--class-data-archive : " + archive + " cannot be mapped by " + jdk17)
        .hasMessageContaining("PrepareClassDataArchive");
    // found on PATH as "java"
    String jdk17Bin = Path.of(jdk17).getParent().toString();
    assertThatThrownBy(() -> ClassDataArchive.checkUsableBy("--class-data-archive", archive,
        List.of("java", "-jar", "app.jar"), jdk17Bin)).hasMessageContaining("cannot be mapped by " + jdk17);
    // a shell or a script may start any java: not checked
    ClassDataArchive.checkUsableBy("--class-data-archive", archive, List.of("sh", "-c", jdk17 + " -version"),
        "/usr/bin:/bin");
  }

  private static Path archive(Path file, int magic) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(magic);
    return Files.write(file, head.array());
  }
}
