package io.boxer.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Takes over SIGHUP, SIGINT, SIGQUIT and SIGTERM for the whole of {@code boxer run}.
 *
 * <p>Before the command runs, a signal stops boxer: it interrupts the main thread (joining, waiting at the
 * barrier), which leaves the cluster and exits 128+signal; the first signal decides the code. From
 * {@link #beginChild} on, signals no longer stop boxer: they are held until {@link #attach} names the
 * command's process group, then forwarded to that whole group, and boxer keeps waiting for the command, whose
 * exit code becomes boxer's. So no signal falls between starting the command and forwarding to it.
 *
 * <p>HUP, INT and TERM come through {@code sun.misc.Signal}; QUIT, which HotSpot keeps for itself, through
 * {@link NativeSignals}. A signal that cannot be taken over (no native library for this OS or architecture,
 * -Xrs) is left as it was, with one warning; so is one that was ignored when boxer started (nohup, SIGINT in
 * a shell's background job), which the command then inherits ignored too.
 *
 * <p>Thread-safe: signals arrive on JDK signal threads and on {@code boxer-sigquit}; every state change and
 * every forward holds this object's lock, so signals reach the group in the order they arrived.
 */
final class SignalForwarder {
  private static final Logger log = LoggerFactory.getLogger(SignalForwarder.class);

  private final Thread main;
  // guarded by this
  private ForwardedSignal stoppedBy;
  private boolean childStarting;
  private final List<ForwardedSignal> held = new ArrayList<>();
  private ProcessGroup group;
  private ForwardedSignal lastForwarded;

  /** A forwarder that interrupts {@code main} until the command starts; installs nothing. */
  SignalForwarder(Thread main) {
    this.main = main;
  }

  /** Takes over HUP, INT and TERM at once; QUIT needs {@link #takeOverQuit}. */
  static SignalForwarder install(Thread main) {
    SignalForwarder forwarder = new SignalForwarder(main);
    for (ForwardedSignal signal : List.of(ForwardedSignal.HUP, ForwardedSignal.INT, ForwardedSignal.TERM)) {
      try {
        if (Signal.handle(new Signal(signal.name()), s -> forwarder.onSignal(signal)) == SignalHandler.SIG_IGN) {
          // HotSpot keeps a shutdown signal ignored if it was at start (nohup; SIGINT in a background job)
          log.warn("A signal was ignored when boxer started; boxer and the command leave it ignored. signal={}",
              signal.fullName());
        }
      } catch (IllegalArgumentException e) {
        log.warn("Cannot take over a signal; boxer leaves it as it was. signal={} reason={}", signal.fullName(),
            e.getMessage());
      }
    }
    return forwarder;
  }

  /** Takes over QUIT through the native library, copied to {@code scratchDir} to be loaded. */
  void takeOverQuit(Path scratchDir) {
    try {
      NativeSignals.listenForQuit(scratchDir, this::onSignal);
    } catch (IOException e) {
      log.warn("Cannot take over SIGQUIT; boxer forwards SIGHUP, SIGINT and SIGTERM only. reason={}", e.getMessage());
    }
  }

  /** What a received signal does depends on how far {@code boxer run} got; see the class comment. */
  synchronized void onSignal(ForwardedSignal signal) {
    if (group != null) {
      forward(signal);
    } else if (childStarting) {
      held.add(signal);
    } else {
      if (stoppedBy == null) {
        stoppedBy = signal;
      }
      main.interrupt();
    }
  }

  /**
   * Called by the main thread just before it starts the command. Returns the signal that stopped boxer if one
   * came; otherwise signals are from now on held for the command.
   */
  synchronized Optional<ForwardedSignal> beginChild() {
    if (stoppedBy == null) {
      childStarting = true;
    }
    return Optional.ofNullable(stoppedBy);
  }

  /** From now on signals go to {@code commandGroup}; those held since {@link #beginChild} go now, in order. */
  synchronized void attach(ProcessGroup commandGroup) {
    group = commandGroup;
    held.forEach(this::forward);
    held.clear();
  }

  /** The signal that stopped boxer before the command ran, if any. */
  synchronized Optional<ForwardedSignal> stoppedBy() {
    return Optional.ofNullable(stoppedBy);
  }

  /** The last signal forwarded to the command's group, if any. */
  synchronized Optional<ForwardedSignal> lastForwarded() {
    return Optional.ofNullable(lastForwarded);
  }

  private void forward(ForwardedSignal signal) {
    lastForwarded = signal;
    if (group.signal(signal)) {
      log.debug("Forwarded a signal to the command's process group. signal={} pgid={}", signal.fullName(), group.id());
    } else {
      log.debug("Nobody left in the command's process group to forward a signal to. signal={} pgid={}",
          signal.fullName(), group.id());
    }
  }
}
