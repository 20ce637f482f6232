package io.boxer.launcher;

import io.boxer.control.tls.JoinToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Where a join token comes from on the command line: {@code --token} / {@code BOXER_TOKEN}, or
 * {@code --token-file}. A token file must be readable by its owner only, as ssh demands of private keys.
 * Messages never contain the token.
 */
final class TokenSource {
  private static final Set<PosixFilePermission> OTHERS = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private TokenSource() {}

  /**
   * The token given inline, else the one in {@code file}, else null.
   *
   * @throws IllegalArgumentException if both are given, the file cannot be read or is open to others, or the
   *     token is malformed
   */
  static JoinToken resolve(String inline, Path file) {
    if (inline != null && !inline.isEmpty() && file != null) {
      throw new IllegalArgumentException("--token and --token-file : both given (expected: one of them)");
    }
    if (inline != null && !inline.isEmpty()) {
      return JoinToken.parse(inline.strip());
    }
    if (file == null) {
      return null;
    }
    return JoinToken.parse(read(file));
  }

  /** The token in {@code file}, checked to be private to its owner. */
  static String read(Path file) {
    try {
      checkPrivate(file);
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file : " + file + " cannot be read (" + e.getMessage() + ")");
    }
  }

  static void checkPrivate(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (permissions.stream().anyMatch(OTHERS::contains)) {
      throw new IllegalArgumentException("--token-file : " + file + " is accessible by other users (mode "
          + java.nio.file.attribute.PosixFilePermissions.toString(permissions)
          + "; expected: rw-------, run `chmod 600 " + file + "`)");
    }
  }
}
