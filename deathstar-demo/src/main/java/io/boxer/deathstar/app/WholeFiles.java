package io.boxer.deathstar.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files that other processes poll for (a ready file, a served file): written whole, a sibling file renamed over
 * the target, so that a reader sees either no file or all of it.
 */
public final class WholeFiles {
  private WholeFiles() {}

  /** Writes {@code content} (UTF-8) to {@code file} in one rename. */
  public static void write(Path file, String content) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
