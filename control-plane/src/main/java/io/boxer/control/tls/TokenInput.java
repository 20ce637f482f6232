package io.boxer.control.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A join token as a command line takes it: inline ({@code --token}) or from a file ({@code --token-file}). A
 * token file must be readable by its owner only, as ssh demands of private keys. Shared by {@code boxer run},
 * {@code boxer seed} and {@code boxer invoke}; messages name the flag and never contain the token.
 */
public final class TokenInput {
  private static final Set<PosixFilePermission> OTHERS = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private TokenInput() {}

  /**
   * The token given inline, else the one in {@code file}, else null; validated as {@link JoinToken#parse} does.
   *
   * @throws IllegalArgumentException if both are given, the file cannot be read or is open to others, or the
   *     token is malformed
   */
  public static String resolve(String inline, Path file) {
    if (inline != null && !inline.isEmpty() && file != null) {
      throw new IllegalArgumentException("--token and --token-file : both given (expected: one of them)");
    }
    String token;
    if (inline != null && !inline.isEmpty()) {
      token = inline.strip();
    } else if (file != null) {
      token = read(file);
    } else {
      return null;
    }
    JoinToken.parse(token);
    return token;
  }

  /**
   * The (unvalidated) token in {@code file}, without surrounding whitespace, checked to be private to its owner.
   *
   * @throws IllegalArgumentException if the file cannot be read or other users may read or write it
   */
  public static String read(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream().anyMatch(OTHERS::contains)) {
        throw new IllegalArgumentException("--token-file : " + file + " is accessible by other users (mode "
            + PosixFilePermissions.toString(permissions) + "; expected: rw-------, run `chmod 600 " + file + "`)");
      }
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file : " + file + " cannot be read (" + e.getMessage() + ")");
    }
  }
}
