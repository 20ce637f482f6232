package io.boxer.launcher;

import java.util.Optional;

/**
 * The signals {@code boxer run} passes on to the command's process group. Their numbers are the same on every
 * POSIX system (XSI fixes them for {@code kill -s}), so the exit codes 128+N are portable. QUIT is the one
 * HotSpot keeps for itself: it reaches boxer only through {@link NativeSignals}.
 */
enum ForwardedSignal {
  HUP(1),
  INT(2),
  QUIT(3),
  TERM(15);

  private final int number;

  ForwardedSignal(int number) {
    this.number = number;
  }

  int number() {
    return number;
  }

  /** Boxer's exit code when this signal stopped it before the command ran: 128 + number, as shells report it. */
  int exitCode() {
    return 128 + number;
  }

  /** The conventional name, e.g. {@code SIGTERM}. */
  String fullName() {
    return "SIG" + name();
  }

  /** The signal with this number, or empty if boxer does not forward it. */
  static Optional<ForwardedSignal> ofNumber(int number) {
    for (ForwardedSignal signal : values()) {
      if (signal.number == number) {
        return Optional.of(signal);
      }
    }
    return Optional.empty();
  }
}
