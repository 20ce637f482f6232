package io.boxer.seed;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether a joining member's host answers stray SYNs with RST: one TCP connect to a port the node
 * holds bound without listening (JoinRequest.probe_port), waiting at most {@link #TIMEOUT}. "Connection refused"
 * means the kernel answered with a RST (no firewall, or a security group open to all); a timeout means something
 * drops unsolicited packets (a security group, a NAT). Bounded: at most {@link #MAX_CONCURRENT} probes at a time,
 * a join that finds none free is not probed (and counts as dropping, the state of a member that never asked).
 * The caller probes only the address the member joined from. Thread-safe.
 */
final class RstProbe {
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static final int MAX_CONCURRENT = 4;
  private static final Logger log = LoggerFactory.getLogger(RstProbe.class);

  /** One connect attempt; a seam for tests. */
  @FunctionalInterface
  interface Dial {
    void connect(InetSocketAddress target, Duration timeout) throws IOException;
  }

  private final Dial dial;
  private final Semaphore permits = new Semaphore(MAX_CONCURRENT);

  /** Dials with a plain blocking socket, closed at once. */
  RstProbe() {
    this((target, timeout) -> {
      try (Socket socket = new Socket()) {
        socket.connect(target, (int) timeout.toMillis());
      }
    });
  }

  RstProbe(Dial dial) {
    this.dial = dial;
  }

  /**
   * Blocks for at most {@link #TIMEOUT}. True if the host answered the SYN: refused (a RST), or even accepted
   * (something listens there after all; either way unsolicited SYNs reach the host).
   */
  boolean answersRst(InetSocketAddress target) {
    if (!permits.tryAcquire()) {
      log.warn("Skipped the RST probe of a joining member: too many probes at once. addr={}", target);
      return false;
    }
    try {
      dial.connect(target, TIMEOUT);
      return true;
    } catch (ConnectException e) {
      // "Connection refused" is a RST; "No route to host" and the like are ICMP errors: nothing answered
      return e.getMessage() != null && e.getMessage().contains("refused");
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      log.debug("RST probe failed. addr={} reason={}", target, e.toString());
      return false;
    } finally {
      permits.release();
    }
  }
}
