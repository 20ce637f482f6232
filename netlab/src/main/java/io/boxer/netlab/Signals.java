package io.boxer.netlab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Sends signals to processes with kill(1), as a user would: no native code, any signal by name. Stateless.
 */
public final class Signals {
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9+-]*");

  private Signals() {}

  /**
   * Sends {@code signal} (a name without SIG, e.g. {@code TERM}, {@code STOP}) to each of {@code pids} and waits
   * for kill(1) to return, which is when the signals are sent, not when they took effect.
   *
   * @return whether every process got it (false if some were gone already; kill reports those on stderr)
   * @throws IllegalArgumentException if {@code signal} is not a signal name
   */
  public static boolean send(String signal, Collection<Long> pids) throws IOException, InterruptedException {
    if (!NAME.matcher(signal).matches()) {
      throw new IllegalArgumentException("signal : '" + signal + "' (expected: a name such as TERM or KILL)");
    }
    if (pids.isEmpty()) {
      return true;
    }
    List<String> kill = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(pid -> kill.add(Long.toString(pid)));
    return new ProcessBuilder(kill).inheritIO().start().waitFor() == 0;
  }
}
