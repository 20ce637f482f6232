package io.boxer.netlab.wan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;

/**
 * The lab's WAN delayer, a process of its own that the {@code Lab} starts inside the lab's {@code pub}
 * namespace (so every lab teardown, which kills the processes of the lab's namespaces, ends it too): it serves
 * NFQUEUE queue {@value #QUEUE} in each namespace given, holding every packet there for the one-way delay
 * (docs/wan.md).
 *
 * <pre>
 * WanDelayer --status-file FILE --one-way-micros N [--jitter-micros J] [--capacity C] NETNS_PATH...
 * </pre>
 *
 * Once every queue is bound it writes the status file (and rewrites it every second): {@code {"pid": P,
 * "queues": Q, "packets": N, "dropped": D, "lost": L}}, where {@code packets} counts notified packets,
 * {@code dropped} those refused because their queue held {@code capacity} packets already, and {@code lost}
 * the times the kernel could not notify us (a full socket buffer). Exit codes: 2 for a usage error, 1 if a
 * queue cannot be bound; otherwise it runs until killed. SIGHUP and SIGINT are ignored: it lives as long as its
 * lab, whichever terminal started it.
 */
public final class WanDelayer {
  /** The queue number in every namespace (queues are per namespace, so one number serves all). */
  public static final int QUEUE = 0;
  /** Default bound on the packets one queue holds. */
  public static final int DEFAULT_CAPACITY = 8192;

  private WanDelayer() {}

  public static void main(String[] args) throws InterruptedException {
    DelayerArgs a;
    try {
      a = DelayerArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("wan delayer: " + e.getMessage());
      System.exit(2);
      return;
    }
    ignoreTerminalSignals();
    // a reader or the releaser that fails leaves its packets queued for good: end the process, so the lab's
    // WAN is visibly down (no rule bypasses a missing delayer) and the log says why
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      System.err.println("wan delayer: " + thread.getName() + " failed: " + e);
      Runtime.getRuntime().halt(1);
    });
    QueueReader.Counters counters = new QueueReader.Counters();
    List<QueueReader> readers = new ArrayList<>();
    List<Releaser.Line> lines = new ArrayList<>();
    SplittableRandom seeds = new SplittableRandom();
    for (String netns : a.namespaces()) {
      DelayLine line = new DelayLine(a.oneWayMicros() * 1000, a.jitterMicros() * 1000, a.capacity(), seeds.split());
      QueueReader reader = new QueueReader(netns, QUEUE, line, counters);
      Thread t = new Thread(reader, "wan-reader-" + Path.of(netns).getFileName());
      t.setDaemon(true);
      t.start();
      readers.add(reader);
      try {
        lines.add(new Releaser.Line(line, reader.opened().join()));
      } catch (CompletionException e) {
        System.err.println("wan delayer: " + e.getCause().getMessage());
        System.exit(1);
      }
    }
    Releaser releaser = new Releaser(lines);
    Thread timer = new Thread(releaser, "wan-releaser");
    timer.setDaemon(true);
    timer.setPriority(Thread.MAX_PRIORITY);
    timer.start();
    readers.forEach(r -> r.start(releaser));
    while (true) {
      writeStatus(a.statusFile(), a.namespaces().size(), counters);
      Thread.sleep(1000);
    }
  }

  private static void writeStatus(Path file, int queues, QueueReader.Counters c) {
    String json = String.format("{\"pid\": %d, \"queues\": %d, \"packets\": %d, \"dropped\": %d, \"lost\": %d}%n",
        ProcessHandle.current().pid(), queues, c.packets.sum(), c.dropped.sum(), c.lost.sum());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, json, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      System.err.println("wan delayer: cannot write status file " + file + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("restriction")
  private static void ignoreTerminalSignals() {
    sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
  }
}
