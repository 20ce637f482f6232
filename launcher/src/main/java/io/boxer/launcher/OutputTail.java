package io.boxer.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The last bytes a command wrote to stdout and stderr, interleaved as they arrived, for a caller that has no
 * terminal: the Lambda handler returns them in its response (the whole output still goes to the function's log).
 * Bounded: it keeps at most {@link #capacity} bytes, the newest.
 *
 * <p>Thread-safe: each pump thread appends under this object's lock.
 */
public final class OutputTail {
  /** How long the pumps may take to drain a pipe once the command's group is gone. */
  private static final Duration DRAIN = Duration.ofSeconds(1);

  private final byte[] ring;
  private long written; // guarded by this: bytes appended in total

  public OutputTail(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity : " + capacity + " (expected: >= 1)");
    }
    this.ring = new byte[capacity];
  }

  public int capacity() {
    return ring.length;
  }

  synchronized void append(byte[] bytes, int offset, int length) {
    int skipped = Math.max(0, length - ring.length); // would fall out at once
    written += skipped;
    for (int i = skipped; i < length; i++) {
      ring[(int) (written++ % ring.length)] = bytes[offset + i];
    }
  }

  /** The newest bytes, decoded as UTF-8; a character cut at the start shows as U+FFFD. */
  public synchronized String text() {
    int size = (int) Math.min(written, ring.length);
    byte[] out = new byte[size];
    long start = written - size;
    for (int i = 0; i < size; i++) {
      out[i] = ring[(int) ((start + i) % ring.length)];
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Starts a daemon thread that copies {@code from} to {@code copyTo} and into this tail until end of stream. */
  Thread pump(InputStream from, PrintStream copyTo, String name) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (from) {
        int n;
        while ((n = from.read(buffer)) > 0) {
          copyTo.write(buffer, 0, n);
          copyTo.flush();
          append(buffer, 0, n);
        }
      } catch (IOException e) {
        // the pipe closed under us: the command is gone, nothing more to copy
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Waits a bounded time for the pumps: a process that left the command's group and kept the pipe open must not
   * hold up the answer (what it writes later is not in the tail).
   */
  static void awaitPumps(List<Thread> pumps) {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    for (Thread pump : pumps) {
      try {
        pump.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
