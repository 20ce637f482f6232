package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewriteCacheTest {

  private static final RewriteCache.AgentIdentity AGENT = new RewriteCache.AgentIdentity(1_800_000, 0x1234, 13_000, 7);
  private static final byte[] NET = {(byte) 0xca, (byte) 0xfe, 1, 2, 3};
  private static final byte[] NET_REWRITTEN = {(byte) 0xca, (byte) 0xfe, 9, 9, 9, 9};

  @TempDir
  Path dir;

  @Test
  void storedEntry_isFound_forExactlyTheSameClassAndBytes() throws IOException {
    RewriteCache cache = RewriteCache.open(dir, AGENT);
    assertThat(cache.find("sun/nio/ch/Net", NET)).as("empty cache").isNull();

    cache.store("sun/nio/ch/Net", NET, NET_REWRITTEN);

    assertThat(RewriteCache.open(dir, AGENT).find("sun/nio/ch/Net", NET)).isEqualTo(NET_REWRITTEN);
    assertThat(cache.find("sun/nio/ch/Net", new byte[] {(byte) 0xca, (byte) 0xfe, 1, 2, 4}))
        .as("another JDK's Net").isNull();
    assertThat(cache.find("java/net/InetAddress", NET)).as("another class").isNull();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .singleElement().asString().startsWith("sun.nio.ch.Net-").endsWith(RewriteCache.SUFFIX);
    }
  }

  @Test
  void sameOriginalLengthOtherBytes_isAMiss() throws IOException {
    RewriteCache cache = RewriteCache.open(dir, AGENT);
    byte[] entry = cache.encode(NET, NET_REWRITTEN);
    assertThat(cache.parse(entry, NET)).isEqualTo(NET_REWRITTEN);
    assertThat(cache.parse(entry, new byte[] {(byte) 0xca, (byte) 0xfe, 1, 2, 4})).isNull();
  }

  @Test
  void anotherAgentBuild_isAMiss_andItsStoreReplacesTheEntry() throws IOException {
    RewriteCache.open(dir, AGENT).store("sun/nio/ch/Net", NET, NET_REWRITTEN);
    for (RewriteCache.AgentIdentity other : List.of(new RewriteCache.AgentIdentity(1_800_001, 0x1234, 13_000, 7),
        new RewriteCache.AgentIdentity(1_800_000, 0x1235, 13_000, 7),
        new RewriteCache.AgentIdentity(1_800_000, 0x1234, 13_001, 7),
        new RewriteCache.AgentIdentity(1_800_000, 0x1234, 13_000, 8))) {
      assertThat(RewriteCache.open(dir, other).find("sun/nio/ch/Net", NET)).as("%s", other).isNull();
    }

    RewriteCache newer = RewriteCache.open(dir, new RewriteCache.AgentIdentity(1, 2, 3, 4));
    newer.store("sun/nio/ch/Net", NET, new byte[] {5});
    assertThat(newer.find("sun/nio/ch/Net", NET)).containsExactly(5);
    assertThat(RewriteCache.open(dir, AGENT).find("sun/nio/ch/Net", NET)).isNull();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("one entry, no temporary files").hasSize(1);
    }
  }

  @Test
  void damagedOrTornEntry_isAMiss() throws IOException {
    RewriteCache cache = RewriteCache.open(dir, AGENT);
    cache.store("sun/nio/ch/Net", NET, NET_REWRITTEN);
    Path entry;
    try (Stream<Path> files = Files.list(dir)) {
      entry = files.findFirst().orElseThrow();
    }
    byte[] good = Files.readAllBytes(entry);

    byte[] flipped = good.clone();
    flipped[good.length - 6] ^= 1; // in the rewritten bytes
    Files.write(entry, flipped);
    assertThat(cache.find("sun/nio/ch/Net", NET)).as("a flipped bit").isNull();

    Files.write(entry, Arrays.copyOf(good, good.length - 3));
    assertThat(cache.find("sun/nio/ch/Net", NET)).as("torn").isNull();

    byte[] longer = Arrays.copyOf(good, good.length + 1);
    Files.write(entry, longer);
    assertThat(cache.find("sun/nio/ch/Net", NET)).as("grown").isNull();

    Files.write(entry, new byte[0]);
    assertThat(cache.find("sun/nio/ch/Net", NET)).as("empty").isNull();

    Files.write(entry, good);
    assertThat(cache.find("sun/nio/ch/Net", NET)).as("restored").isEqualTo(NET_REWRITTEN);
  }

  @Test
  void oversizedEntry_isNeitherStoredNorRead() throws IOException {
    RewriteCache cache = RewriteCache.open(dir, AGENT);
    byte[] huge = new byte[RewriteCache.MAX_ENTRY_BYTES];
    cache.store("sun/nio/ch/Net", NET, huge);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
    cache.store("sun/nio/ch/Net", NET, NET_REWRITTEN);
    try (Stream<Path> files = Files.list(dir)) {
      Path entry = files.findFirst().orElseThrow();
      Files.write(entry, huge);
    }
    assertThat(cache.find("sun/nio/ch/Net", NET)).isNull();
  }

  @Test
  void classNamesThatAreNoSafeFileName_areNotCached() throws IOException {
    RewriteCache cache = RewriteCache.open(dir, AGENT);
    for (String name : List.of("../../etc/Net", "a/b c/D", "x".repeat(201), "sun/nio/ch/Net\0")) {
      cache.store(name, NET, NET_REWRITTEN);
      assertThat(cache.find(name, NET)).as(name).isNull();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void missingDirectory_isCreatedForItsOwnerOnly() throws IOException {
    Path nested = dir.resolve("home/.cache/boxer/agent");
    RewriteCache.open(nested, AGENT).store("sun/nio/ch/Net", NET, NET_REWRITTEN);
    assertThat(Files.getPosixFilePermissions(nested)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(RewriteCache.open(nested, AGENT).find("sun/nio/ch/Net", NET)).isEqualTo(NET_REWRITTEN);
  }

  @Test
  void directoryWritableByOthers_isRefused() throws IOException {
    for (String mode : List.of("rwxrwx---", "rwx---rwx", "rwxrwxrwx")) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> RewriteCache.open(dir, AGENT)).as(mode).isInstanceOf(IOException.class)
          .hasMessageContaining("writable by group or others").hasMessageContaining(dir.toString());
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(RewriteCache.open(dir, AGENT)).isNotNull();
  }

  @Test
  void directoryInAParentOthersCanWrite_isRefused_unlessThatParentIsSticky() throws IOException {
    Path open = Files.createDirectory(dir.resolve("open"));
    Path cache = Files.createDirectory(open.resolve("cache"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    // others could rename the cache directory away and put their own in its place
    assertThatThrownBy(() -> RewriteCache.open(cache, AGENT)).isInstanceOf(IOException.class)
        .hasMessageContaining("is in " + open + ", which others can write to");

    Files.setAttribute(open, "unix:mode", 01777); // as /tmp: only an entry's owner may rename it
    assertThat(RewriteCache.open(cache, AGENT)).isNotNull();
  }

  @Test
  void directoryReachedThroughASymbolicLink_isUsedByItsRealPath_soASwappedLinkIsNeverFollowed() throws IOException {
    Path real = Files.createDirectory(dir.resolve("real"));
    Path other = Files.createDirectory(dir.resolve("other"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    RewriteCache cache = RewriteCache.open(link, AGENT);

    Files.delete(link);
    Files.createSymbolicLink(link, other); // what an attacker owning the link would do after the check
    cache.store("sun/nio/ch/Net", NET, NET_REWRITTEN);

    try (Stream<Path> files = Files.list(real)) {
      assertThat(files).hasSize(1);
    }
    try (Stream<Path> files = Files.list(other)) {
      assertThat(files).isEmpty();
    }
    assertThat(cache.find("sun/nio/ch/Net", NET)).isEqualTo(NET_REWRITTEN);
  }

  @Test
  void directoryOfAnotherUser_isRefused() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root (CI runs as root)");
    Path theirs = Files.createDirectory(dir.resolve("theirs"));
    Files.setAttribute(theirs, "unix:uid", 65534);
    assertThatThrownBy(() -> RewriteCache.open(theirs, AGENT)).isInstanceOf(IOException.class)
        .hasMessageContaining("owned by uid 65534");
  }

  @Test
  void temporaryFilesOfAJvmKilledWhileWriting_areRemovedOnceOld_othersAreKept() throws IOException {
    RewriteCache.open(dir, AGENT).store("sun/nio/ch/Net", NET, NET_REWRITTEN);
    Path abandoned = Files.write(dir.resolve(".sun.nio.ch.Net-1234.class.rw.5a5a1.tmp"), new byte[] {1});
    Path inProgress = Files.write(dir.resolve(".java.net.InetAddress-99.class.rw.6b6b2.tmp"), new byte[] {2});
    Path notOurs = Files.write(dir.resolve("notes.tmp"), new byte[] {3});
    long old = System.currentTimeMillis() - RewriteCache.ABANDONED_MILLIS - 60_000;
    for (Path p : List.of(abandoned, notOurs)) {
      Files.setLastModifiedTime(p, FileTime.fromMillis(old));
    }

    RewriteCache cache = RewriteCache.open(dir, AGENT);

    assertThat(abandoned).doesNotExist();
    assertThat(inProgress).as("another JVM may still be writing it").exists();
    assertThat(notOurs).as("not a temporary file of the cache").exists();
    assertThat(cache.find("sun/nio/ch/Net", NET)).isEqualTo(NET_REWRITTEN);
  }

  @Test
  void directoryThatCannotBeWritten_storeFailsQuietly() throws IOException {
    Path gone = Files.createDirectory(dir.resolve("gone"));
    RewriteCache cache = RewriteCache.open(gone, AGENT);
    Files.delete(gone);
    Files.createFile(gone); // what was the directory is a file now: every write fails

    cache.store("sun/nio/ch/Net", NET, NET_REWRITTEN);

    assertThat(cache.find("sun/nio/ch/Net", NET)).isNull();
    assertThat(gone).isRegularFile().isEmptyFile();
  }

  @Test
  void agentIdentity_changesWithAnyEntryOfEitherJar_andNeedsAJar() throws IOException {
    Path agent = jar("agent.jar", "io/boxer/A.class", "a");
    Path bootstrap = jar("bootstrap.jar", "io/boxer/B.class", "b");
    RewriteCache.AgentIdentity identity = RewriteCache.AgentIdentity.of(agent, bootstrap);
    assertThat(RewriteCache.AgentIdentity.of(agent, bootstrap)).isEqualTo(identity);

    jar("agent.jar", "io/boxer/A.class", "c"); // same length, other content
    RewriteCache.AgentIdentity rebuilt = RewriteCache.AgentIdentity.of(agent, bootstrap);
    assertThat(rebuilt.agentJarCrc()).isNotEqualTo(identity.agentJarCrc());
    assertThat(rebuilt.bootstrapJarCrc()).isEqualTo(identity.bootstrapJarCrc());

    jar("bootstrap.jar", "io/boxer/B.class", "d");
    assertThat(RewriteCache.AgentIdentity.of(agent, bootstrap).bootstrapJarCrc())
        .isNotEqualTo(identity.bootstrapJarCrc());

    Path notAJar = Files.write(dir.resolve("not.jar"), new byte[100]);
    assertThatThrownBy(() -> RewriteCache.AgentIdentity.of(notAJar, bootstrap)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a jar");
    assertThatThrownBy(() -> RewriteCache.AgentIdentity.of(dir.resolve("missing.jar"), bootstrap))
        .isInstanceOf(IOException.class);
  }

  private Path jar(String name, String entry, String content) throws IOException {
    Path jar = dir.resolve(name);
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry(entry));
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }
}
