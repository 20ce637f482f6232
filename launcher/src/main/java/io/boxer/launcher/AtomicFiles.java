package io.boxer.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files a reader never sees half of: written to a hidden sibling first, then renamed over the file. */
final class AtomicFiles {
  private AtomicFiles() {}

  static void writeString(Path path, String content) throws IOException {
    Path absolute = path.toAbsolutePath();
    Path tmp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
