package io.boxer.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The shuffle's common start: every worker gets ready (data generated, client built, socket bound), says so with
 * a {@code {"ready": ...}} line, and waits for the start file, which the bench script writes (atomically) once all
 * are ready: the wall-clock millisecond at which they all begin. Lab hosts share the file system. Public: the
 * paper's fan-in senders ({@code io.boxer.bench.paper}) start together with it too.
 */
public final class StartSignal {
  /** A worker that is not started within this long gives up. */
  static final long WAIT_MILLIS = 600_000;

  private StartSignal() {}

  /** Says ready, then returns the start time once it has come. */
  public static long ready(Path startFile, String worker) throws IOException, InterruptedException {
    System.out.println("{\"ready\": \"" + worker + "\"}");
    System.out.flush();
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (true) {
      try {
        String text = Files.readString(startFile).strip();
        if (!text.isEmpty()) {
          long startAt = Long.parseLong(text);
          WallClock.sleepUntil(startAt);
          return startAt;
        }
      } catch (NoSuchFileException e) {
        // not yet
      } catch (NumberFormatException e) {
        throw new IOException("start file " + startFile + " : not a millisecond time (expected: digits)", e);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException("no start file " + startFile + " within " + WAIT_MILLIS / 1000 + " s");
      }
      Thread.sleep(5);
    }
  }
}
