package io.boxer.launcher;

import java.io.IOException;
import java.util.Map;
import sun.misc.Signal;

/**
 * Takes over SIGTERM and SIGINT for the whole of {@code boxer run}. Before the child runs, a signal stops
 * boxer: it interrupts the main thread (joining, waiting at the barrier), which then leaves the cluster and
 * exits 128+signal. Once the child runs, the same signal is forwarded to it and boxer waits for it to exit,
 * so the child decides how to stop and its exit code becomes boxer's. Installed before the child starts, so
 * no signal falls between the two.
 */
final class SignalForwarder {
  private static final Map<String, Integer> NUMBERS = Map.of("TERM", 15, "INT", 2);

  private final Thread main;
  private volatile Process child;
  private volatile String received;

  private SignalForwarder(Thread main) {
    this.main = main;
  }

  /** Installs the handlers; signals interrupt {@code main} until {@link #attach} is called. */
  static SignalForwarder install(Thread main) {
    SignalForwarder forwarder = new SignalForwarder(main);
    for (String name : NUMBERS.keySet()) {
      Signal.handle(new Signal(name), signal -> forwarder.onSignal(name));
    }
    return forwarder;
  }

  private synchronized void onSignal(String name) {
    Process c = child;
    if (c == null) {
      received = name;
      main.interrupt();
    } else {
      forward(c, name);
    }
  }

  /** From now on signals go to {@code process}; one that came before is delivered now. */
  synchronized void attach(Process process) {
    child = process;
    if (received != null) {
      forward(process, received);
    }
  }

  /** The exit code for a signal received before the child ran (128 + number), or -1 if none came. */
  int exitCodeIfSignalled() {
    String name = received;
    return name == null ? -1 : 128 + NUMBERS.get(name);
  }

  private static void forward(Process child, String signal) {
    if (!child.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
    } catch (IOException e) {
      child.destroy(); // no kill(1): SIGTERM is the best we can do
    }
  }
}
