package io.boxer.bench.paper;

import java.util.Arrays;

/**
 * The data server's request: a client opens a connection and sends one mode byte and one int argument, then the
 * mode runs until its end. The time-to-first-byte port has no request: the server writes one byte at once.
 */
enum Wire {
  /** The client sends for the argument's milliseconds then shuts its output; the server answers the byte count. */
  FORWARD('F'),
  /** The server sends for the argument's milliseconds, then closes. */
  REVERSE('R'),
  /** The argument is a number of round trips: the client sends {@link #PING_BYTES}, the server echoes them. */
  PING_PONG('P');

  /** The ping-pong message, 1 KiB as in the paper. */
  static final int PING_BYTES = 1024;
  /** The largest argument a server accepts: 10 minutes of streaming, or 10 million round trips. */
  static final int MAX_ARGUMENT = 10_000_000;
  /** Bulk transfers write and read in chunks of this size. */
  static final int CHUNK_BYTES = 64 * 1024;

  private final char code;

  Wire(char code) {
    this.code = code;
  }

  int code() {
    return code;
  }

  static Wire of(int code) {
    return Arrays.stream(values()).filter(w -> w.code == code).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("mode byte : " + code + " (expected: F, R or P)"));
  }
}
