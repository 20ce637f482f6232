package io.boxer.netlab;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a lab's WAN delayer last reported (it rewrites its status file every second, so counts may lag by up
 * to a second). Immutable.
 *
 * @param pid the delayer's process id (for its CPU time in {@code /proc/PID/stat})
 * @param queues how many namespaces' queues it serves
 * @param packets packets it was notified of, all queues together
 * @param dropped packets it dropped because their queue was full
 * @param lost times the kernel could not notify it (its socket buffer was full)
 */
public record WanStatus(long pid, int queues, long packets, long dropped, long lost) {
  /** The status in {@code file}; empty if there is none yet, or it is not readable as a status. */
  static Optional<WanStatus> read(Path file) {
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      return Optional.of(new WanStatus(o.get("pid").getAsLong(), o.get("queues").getAsInt(),
          o.get("packets").getAsLong(), o.get("dropped").getAsLong(), o.get("lost").getAsLong()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | JsonParseException | IllegalStateException | NullPointerException
        | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
