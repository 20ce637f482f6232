package io.boxer.testing;

import java.lang.management.ManagementFactory;

/**
 * This JVM's live threads and used heap, for tests that show a surface stays bounded under abuse: the two
 * measurements, and a baseline taken once with the highest values sampled since (for a test's summary line).
 */
public final class JvmResources {
  public static final long MIB = 1024 * 1024;

  private final int threadsAtStart;
  private final long heapAtStart;
  private int maxThreads;
  private long maxHeap;

  private JvmResources(int threads, long heap) {
    threadsAtStart = threads;
    heapAtStart = heap;
    maxThreads = threads;
    maxHeap = heap;
  }

  /** Takes the baseline now (a full GC first, for the heap). */
  public static JvmResources baseline() {
    return new JvmResources(liveThreads(), usedHeapAfterGc());
  }

  public int threadsAtStart() {
    return threadsAtStart;
  }

  public long heapAtStart() {
    return heapAtStart;
  }

  /** Live threads now, remembered if the most so far. */
  public synchronized int threads() {
    int threads = liveThreads();
    maxThreads = Math.max(maxThreads, threads);
    return threads;
  }

  /** Used heap after a full GC now, remembered if the most so far. */
  public synchronized long heapAfterGc() {
    long heap = usedHeapAfterGc();
    maxHeap = Math.max(maxHeap, heap);
    return heap;
  }

  /** "threads A at start, at most B; used heap after GC C MiB at start, at most D MiB". */
  public synchronized String summary() {
    return "threads " + threadsAtStart + " at start, at most " + maxThreads + "; used heap after GC "
        + heapAtStart / MIB + " MiB at start, at most " + maxHeap / MIB + " MiB";
  }

  public static int liveThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** Used heap after two requested full GCs (one may leave what a finalizer or cleaner frees). */
  public static long usedHeapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
