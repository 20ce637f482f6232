package io.boxer.agent.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The class files the agent rewrote in earlier JVMs, kept in a directory, so that a JVM whose classes were
 * rewritten before loads no ASM and rewrites nothing (docs/measurements.md, "Agent"): the rewrite of the JDK's
 * socket classes was the largest part of the agent's start-up in a JVM that uses the network.
 *
 * <p>An entry is one file per class and original bytes ({@code sun.nio.ch.Net-<crc32>.class.rw}) holding the
 * agent's identity ({@link AgentIdentity}: the agent jar and its bootstrap jar, whose code makes the rewrite), the
 * original class file, the rewritten one and a CRC-32 of all of it. It is used only when every field matches:
 * the original bytes are compared in full, so another JDK build, another agent build or a torn or damaged file
 * is a miss, never a wrong class. A miss rewrites as without the cache and replaces the entry (written to a
 * temporary file, then renamed over it: readers see the old file or the new one). Entries are bounded by the
 * JDK builds that run with the agent: six JDK classes each, and Netty's native socket class per Netty build.
 *
 * <p>The rewritten bytes become part of java.base, so the directory must be one only this user (or root) can
 * write, as must every directory above it unless it is sticky (as /tmp is): {@link #open} refuses anything else,
 * and then uses the directory's real path, so that a symbolic link on the way that is swapped later is never
 * followed again. Uses java.io only after {@link #open}: looking an entry up runs while the JVM loads a socket
 * class and must not load one.
 *
 * <p>Thread-safe: no state beyond final fields; concurrent JVMs and threads may read and write entries.
 */
final class RewriteCache {

  static final String SUFFIX = ".class.rw";
  private static final int MAGIC = 0x42585257; // "BXRW"
  private static final int FORMAT = 1;
  /** A class file of the JDK is well under 1 MiB; an entry holds two. */
  static final int MAX_ENTRY_BYTES = 4 << 20;
  private static final int MAX_NAME_LENGTH = 200;
  // magic, format, agent jar length and CRC, bootstrap jar length and CRC, original length, rewritten length
  private static final int HEADER_BYTES = 4 + 4 + 8 + 4 + 8 + 4 + 4 + 4;
  private static final int TRAILER_BYTES = 4;
  /** End of a zip's central directory record: signature, then at 12 the directory's size and at 16 its offset. */
  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int EOCD_BYTES = 22;
  private static final int MAX_ZIP_COMMENT = 0xffff;
  private static final int MAX_CENTRAL_DIRECTORY = 4 << 20;
  private static final int STICKY = 01000;
  private static final String TEMP_SUFFIX = ".tmp";
  /** A temporary file this old was left by a JVM that died while writing it. */
  static final long ABANDONED_MILLIS = 10 * 60 * 1000;

  private final File dir;
  private final AgentIdentity identity;

  /**
   * The two jars whose code makes the rewrite, each as its length and the CRC-32 of its zip central directory,
   * which lists every entry's name, size and CRC-32: a change to any class changes it, and reading it costs a
   * few kB rather than the whole jar.
   */
  record AgentIdentity(long agentJarLength, int agentJarCrc, long bootstrapJarLength, int bootstrapJarCrc) {

    /**
     * @throws IOException when either jar cannot be read or is not a zip file
     */
    static AgentIdentity of(Path agentJar, Path bootstrapJar) throws IOException {
      try (RandomAccessFile agent = new RandomAccessFile(agentJar.toFile(), "r");
          RandomAccessFile bootstrap = new RandomAccessFile(bootstrapJar.toFile(), "r")) {
        return new AgentIdentity(agent.length(), centralDirectoryCrc(agent, agentJar), bootstrap.length(),
            centralDirectoryCrc(bootstrap, bootstrapJar));
      }
    }
  }

  /** The CRC-32 of {@code zip}'s central directory. */
  private static int centralDirectoryCrc(RandomAccessFile zip, Path name) throws IOException {
    long length = zip.length();
    int tailLength = (int) Math.min(length, EOCD_BYTES + MAX_ZIP_COMMENT);
    byte[] tail = new byte[tailLength];
    zip.seek(length - tailLength);
    zip.readFully(tail);
    ByteBuffer b = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
    for (int at = tailLength - EOCD_BYTES; at >= 0; at--) {
      if (b.getInt(at) == EOCD_SIGNATURE) {
        long size = b.getInt(at + 12) & 0xffffffffL;
        long offset = b.getInt(at + 16) & 0xffffffffL;
        if (size == 0 || size > MAX_CENTRAL_DIRECTORY || offset + size > length - tailLength + at) {
          break;
        }
        byte[] directory = new byte[(int) size];
        zip.seek(offset);
        zip.readFully(directory);
        return crc(directory, directory.length);
      }
    }
    throw new IOException(name + " is not a jar (no zip central directory)");
  }

  private RewriteCache(File dir, AgentIdentity identity) {
    this.dir = dir;
    this.identity = identity;
  }

  /**
   * The cache in {@code dir}, created (mode 700) if missing.
   *
   * @throws IOException when the directory cannot be created or read, or is not safe to load classes from: the
   *     message says why
   */
  static RewriteCache open(Path dir, AgentIdentity identity) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    // The real path, checked and then used for every entry: a symbolic link swapped later is never followed.
    Path real = dir.toRealPath();
    int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    int mode = check(real, self);
    if ((mode & 022) != 0) {
      throw new IOException(dir + " is writable by group or others (mode " + Integer.toOctalString(mode & 0777)
          + "; expected: writable by its owner only)");
    }
    for (Path parent = real.getParent(); parent != null; parent = parent.getParent()) {
      int parentMode = check(parent, self);
      if ((parentMode & 022) != 0 && (parentMode & STICKY) == 0) {
        throw new IOException(dir + " is in " + parent + ", which others can write to (mode "
            + Integer.toOctalString(parentMode & 07777) + "; expected: writable by its owner only, or sticky as "
            + "/tmp is)");
      }
    }
    RewriteCache cache = new RewriteCache(real.toFile(), identity);
    cache.removeAbandoned(System.currentTimeMillis());
    return cache;
  }

  /**
   * Deletes temporary files that a JVM killed between writing an entry and renaming it left behind: those older
   * than {@value #ABANDONED_MILLIS} ms (a write in progress takes microseconds). Best effort.
   */
  void removeAbandoned(long nowMillis) {
    File[] files = dir.listFiles();
    if (files == null) {
      return;
    }
    for (File f : files) {
      String name = f.getName();
      if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX) && nowMillis - f.lastModified() > ABANDONED_MILLIS) {
        f.delete();
      }
    }
  }

  /** {@code path}'s mode, once it is known to belong to {@code self} or root. */
  private static int check(Path path, int self) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
    int owner = (Integer) attributes.get("uid");
    if (owner != self && owner != 0) {
      throw new IOException(path + " is owned by uid " + owner + " (expected: this user, uid " + self + ", or root)");
    }
    return (Integer) attributes.get("mode");
  }

  /**
   * The rewritten bytes of {@code className} (internal name) whose original class file is {@code original}, or
   * null when there is no valid entry for exactly these bytes. Never throws.
   */
  byte[] find(String className, byte[] original) {
    File file = entry(className, original);
    if (file == null) {
      return null;
    }
    long length = file.length(); // 0 when missing
    if (length < HEADER_BYTES || length > MAX_ENTRY_BYTES) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = new FileInputStream(file)) {
      bytes = in.readNBytes((int) length + 1);
    } catch (IOException e) {
      return null;
    }
    return parse(bytes, original);
  }

  /**
   * Stores the rewrite of {@code className}; best effort (a read-only directory, a full disk or a concurrent
   * writer leave the cache as it was).
   */
  void store(String className, byte[] original, byte[] rewritten) {
    File file = entry(className, original);
    if (file == null || HEADER_BYTES + original.length + rewritten.length > MAX_ENTRY_BYTES) {
      return;
    }
    File temp = new File(dir, "." + file.getName() + "." + Long.toHexString(System.nanoTime())
        + Long.toHexString(Thread.currentThread().getId()) + TEMP_SUFFIX);
    try {
      try (FileOutputStream out = new FileOutputStream(temp)) {
        out.write(encode(original, rewritten));
      }
      if (!temp.renameTo(file)) {
        temp.delete();
      }
    } catch (IOException | RuntimeException e) {
      temp.delete();
    }
  }

  /** The entry's file, or null for a class whose name cannot be a file name here. */
  private File entry(String className, byte[] original) {
    if (className == null || className.length() > MAX_NAME_LENGTH) {
      return null;
    }
    for (int i = 0; i < className.length(); i++) {
      char c = className.charAt(i);
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/'
          || c == '$' || c == '_';
      if (!safe) {
        return null;
      }
    }
    return new File(dir, className.replace('/', '.') + "-" + Integer.toHexString(crc(original, original.length))
        + SUFFIX);
  }

  byte[] encode(byte[] original, byte[] rewritten) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + original.length + rewritten.length + TRAILER_BYTES);
    b.putInt(MAGIC).putInt(FORMAT).putLong(identity.agentJarLength()).putInt(identity.agentJarCrc())
        .putLong(identity.bootstrapJarLength()).putInt(identity.bootstrapJarCrc())
        .putInt(original.length).putInt(rewritten.length).put(original).put(rewritten);
    b.putInt(crc(b.array(), b.position()));
    return b.array();
  }

  /** The rewritten bytes in {@code entry} if it is whole, this agent's, and for exactly {@code original}. */
  byte[] parse(byte[] entry, byte[] original) {
    if (entry.length < HEADER_BYTES + TRAILER_BYTES) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(entry);
    if (b.getInt() != MAGIC || b.getInt() != FORMAT || b.getLong() != identity.agentJarLength()
        || b.getInt() != identity.agentJarCrc() || b.getLong() != identity.bootstrapJarLength()
        || b.getInt() != identity.bootstrapJarCrc()) {
      return null;
    }
    int originalLength = b.getInt();
    int rewrittenLength = b.getInt();
    if (originalLength != original.length || rewrittenLength <= 0
        || (long) HEADER_BYTES + originalLength + rewrittenLength + TRAILER_BYTES != entry.length) {
      return null;
    }
    int body = entry.length - TRAILER_BYTES;
    if (ByteBuffer.wrap(entry, body, TRAILER_BYTES).getInt() != crc(entry, body)
        || !Arrays.equals(entry, HEADER_BYTES, HEADER_BYTES + originalLength, original, 0, originalLength)) {
      return null;
    }
    int from = HEADER_BYTES + originalLength;
    return Arrays.copyOfRange(entry, from, from + rewrittenLength);
  }

  private static int crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }
}
