package io.boxer.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive for the command's JVMs ({@code -XX:SharedArchiveFile}), written by the agent's
 * {@code PrepareClassDataArchive} with the java the command uses: the JDK's classes plus those the agent loads,
 * dumped with the module option {@code -javaagent} implies, so that a JVM started with the agent keeps CDS's
 * archived module graph (JDK 24 and later) and maps the agent's JDK classes instead of loading them
 * (docs/measurements.md, "Agent"). An archive is made for one JVM build; another JVM cannot use it and starts
 * without CDS (JDK 17 silently, JDK 24 and later with a warning on stderr).
 *
 * <p>Checked before anything starts, as the agent jar is, and trusted as the agent's cache of rewritten classes is
 * (docs/security.md): what the JVM maps from it becomes part of the JDK, so the file and every directory above it
 * must belong to this user or root and be writable by their owner only (a directory may instead be sticky, as
 * /tmp is); the JVMs get its real path, so a symbolic link swapped after the check is never followed.
 */
public final class ClassDataArchive {
  /** The first four bytes of a static CDS archive: 0xf00baba2, little-endian (unchanged from JDK 9 to 25). */
  static final int STATIC_ARCHIVE_MAGIC = 0xf00baba2;
  private static final int GROUP_OR_OTHERS_WRITE = 022;
  private static final int STICKY = 01000;
  private static final String HOW_TO_MAKE = "an archive written by `java -cp boxer-agent.jar "
      + "io.boxer.agent.PrepareClassDataArchive FILE` with the java the command uses";

  /** How long the command's java may take to try the archive (a JVM start, ~50-100 ms). */
  static final Duration TRY_TIMEOUT = Duration.ofSeconds(30);

  private ClassDataArchive() {}

  /**
   * When the command is a {@code java} (its first word, looked up in {@code path} unless it has a slash), checks
   * that that JVM can map {@code archive}: it starts once with {@code -Xshare:on} and the agent's module option,
   * which exits non-zero for an archive of another JVM build. A command that is not a java (a shell, a script)
   * is not checked: its JVMs start without CDS if the archive is not theirs.
   *
   * @throws IllegalArgumentException naming the setting, the archive and that java
   */
  static void checkUsableBy(String setting, Path archive, List<String> command, String path) {
    String program = command.isEmpty() ? "" : command.get(0);
    Optional<Path> java = program.contains("/") ? Optional.of(Path.of(program))
        : RequiredPrograms.lookUp(path, program);
    if (java.isEmpty() || !java.get().getFileName().toString().equals("java") || !Files.isExecutable(java.get())) {
      return;
    }
    int exit;
    try {
      Process attempt = new ProcessBuilder(java.get().toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
          "--add-modules", "java.instrument", "-version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!attempt.waitFor(TRY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        attempt.destroyForcibly().waitFor();
        throw new IllegalArgumentException(setting + " : " + java.get() + " did not start with " + archive
            + " within " + TRY_TIMEOUT.toSeconds() + " s");
      }
      exit = attempt.exitValue();
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + " : cannot start " + java.get() + " to try " + archive + " ("
          + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException(setting + " : interrupted while " + java.get() + " tried " + archive);
    }
    if (exit != 0) {
      throw new IllegalArgumentException(setting + " : " + archive + " cannot be mapped by " + java.get()
          + ", the command's java (an archive belongs to the JVM build that wrote it; expected: one written with "
          + "that java: " + java.get() + " -cp boxer-agent.jar io.boxer.agent.PrepareClassDataArchive FILE)");
    }
  }

  /**
   * {@code value} as a real path, or null if it is null or blank (no archive).
   *
   * @param setting the option or variable that named it, for messages
   * @throws IllegalArgumentException "setting : value ... (expected: ...)" naming what is wrong
   */
  public static Path check(String setting, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Path archive;
    try {
      archive = Path.of(value).toRealPath();
    } catch (IOException e) {
      archive = null;
    }
    if (archive == null || !Files.isRegularFile(archive)) {
      throw new IllegalArgumentException(setting + " : " + value + " is not a file (expected: " + HOW_TO_MAKE + ")");
    }
    if (archive.toString().chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(setting + " : " + value
          + " (expected: a path without spaces; JAVA_TOOL_OPTIONS splits on them)");
    }
    checkTrusted(setting, value, archive);
    byte[] head;
    try (InputStream in = Files.newInputStream(archive)) {
      head = in.readNBytes(4);
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + " : " + value + " cannot be read (" + e.getMessage()
          + "; expected: " + HOW_TO_MAKE + ")");
    }
    if (head.length < 4
        || ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt() != STATIC_ARCHIVE_MAGIC) {
      throw new IllegalArgumentException(setting + " : " + value + " is not a static CDS archive (expected: "
          + HOW_TO_MAKE + ")");
    }
    return archive;
  }

  /** The file and every directory above it belong to this user or root and only their owner can change them. */
  private static void checkTrusted(String setting, String value, Path archive) {
    try {
      int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int mode = ownedMode(archive, self);
      if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
        throw new IllegalArgumentException(setting + " : " + value + " is writable by group or others (mode "
            + Integer.toOctalString(mode & 0777) + "; expected: writable by its owner only, since the JVMs load "
            + "JDK classes from it)");
      }
      for (Path dir = archive.getParent(); dir != null; dir = dir.getParent()) {
        int dirMode = ownedMode(dir, self);
        if ((dirMode & GROUP_OR_OTHERS_WRITE) != 0 && (dirMode & STICKY) == 0) {
          throw new IllegalArgumentException(setting + " : " + value + " is in " + dir + ", which others can "
              + "write to (mode " + Integer.toOctalString(dirMode & 07777) + "; expected: writable by its owner "
              + "only, or sticky as /tmp is)");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + " : " + value + " cannot be checked (" + e.getMessage() + ")");
    }
  }

  /** {@code path}'s mode, once it is known to belong to {@code self} or root. */
  private static int ownedMode(Path path, int self) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
    int owner = (Integer) attributes.get("uid");
    if (owner != self && owner != 0) {
      throw new IOException(path + " is owned by uid " + owner + " (expected: this user, uid " + self + ", or root)");
    }
    return (Integer) attributes.get("mode");
  }
}
