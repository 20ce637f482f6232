package io.boxer.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Exceptions that ended a thread, or that gRPC or Netty caught and logged through java.util.logging, while a
 * test ran. Those thrown from Boxer code (a frame in {@code io.boxer}, but not in the generated
 * parsers of {@code io.boxer.proto}) are faults and still printed; the others
 * (a garbage message the protobuf parser refused, thousands of times in a fuzz test) are only counted, by
 * logger and exception type, instead of printed. Install once per test class, uninstall at its end;
 * thread-safe.
 */
public final class Faults {
  private final List<String> faults = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> others = new TreeMap<>();
  private final Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
  private final Handler[] rootHandlers = Logger.getLogger("").getHandlers();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getThrown() == null || record.getLevel().intValue() < Level.WARNING.intValue()
          || logged(record.getLoggerName(), record.getMessage(), record.getThrown())) {
        for (Handler h : rootHandlers) {
          h.publish(record);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  public static Faults install() {
    Faults f = new Faults();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
        f.faults.add("uncaught in thread " + thread.getName() + ": " + stackTrace(e)));
    Logger root = Logger.getLogger("");
    for (Handler h : f.rootHandlers) {
      root.removeHandler(h);
    }
    root.addHandler(f.handler);
    return f;
  }

  public void uninstall() {
    Logger root = Logger.getLogger("");
    root.removeHandler(handler);
    for (Handler h : rootHandlers) {
      root.addHandler(h);
    }
    Thread.setDefaultUncaughtExceptionHandler(previous);
  }

  /**
   * The uncaught exceptions, and logged exceptions thrown from Boxer code, with their stack traces, since the
   * last call; forgets them, so that one case's fault is reported by that case only.
   */
  public List<String> drain() {
    List<String> drained = List.copyOf(faults);
    faults.removeAll(drained);
    return drained;
  }

  /** The other logged exceptions: "logger: exception" and how often. */
  public synchronized String othersSummary() {
    return others.isEmpty() ? "none" : others.toString();
  }

  /** Records a logged exception; true if it is a fault (and should still be printed). */
  private boolean logged(String logger, String message, Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith("io.boxer.") && !frame.getClassName().startsWith("io.boxer.proto.")) {
          faults.add("logged by " + logger + " (" + message + "): " + stackTrace(thrown));
          return true;
        }
      }
    }
    synchronized (this) {
      others.merge(logger + ": " + thrown.getClass().getSimpleName()
          + (thrown.getCause() == null ? "" : "/" + thrown.getCause().getClass().getSimpleName()), 1, Integer::sum);
    }
    return false;
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
