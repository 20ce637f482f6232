package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.EchoServer;
import io.boxer.examples.load.ConnectLoad;
import io.boxer.examples.load.LoadReport;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, loss: with 5% random loss on every NAT's WAN link (both directions), 1,000 connects from one
 * function to another under Boxer all succeed. Each connect needs a prime; a priming SYN lost before it
 * leaves the server's NAT leaves no mapping, and the client's SYNs are then dropped until its connect times
 * out. The node sends several priming SYNs per prime ({@code NatPrimer.SYNS}) so that this practically
 * never happens; with a single SYN about one connect in twenty fails here. Lost SYNs, SYN-ACKs and data are
 * retransmitted by TCP as usual, so the connect times have a long tail (printed: p50/p90/p99/max).
 *
 * <p>At most {@value #TIMEOUTS_ALLOWED} of the 1,000 may time out, and nothing may fail otherwise: a connect from a
 * warm-pool port whose first SYN-ACK is lost between the NATs still stalls until the server's SYN-ACK
 * retransmissions get through, and its connection then retransmits lost data after seconds (docs/reliability.md,
 * open problem 4: a primed connect of a cold port is started again from a new port, a warm port cannot change).
 * That timed out one connect in about six runs (1 of 9 local runs and 1 of 3 CI runs on 2026-12-03, never more than
 * one in a run), the same rate as before the cold-port fix; a regression of the prime path fails by many.
 */
@Tag("lab")
class LossIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String PORT = "5000";
  private static final double LOSS_PERCENT = 5;
  private static final int THREADS = 20;
  private static final int PER_THREAD = 50;
  /**
   * Per connect, for connecting and again for the echo: a SYN lost three times in a row still connects
   * (retransmissions after 1, 3 and 7 s), while a connect whose NAT was never primed times out. A primed
   * connect whose first SYN-ACK is lost waits for the server's SYN-ACK retransmissions, and its first RTT
   * sample then spans the handshake, so a data segment lost next waits seconds too (docs/reliability.md,
   * open problem 4): a 10 s read timeout on the server closed about one connect in a thousand.
   */
  private static final int TIMEOUT_MILLIS = 20_000;
  /** Timeouts of warm-pool connects stalled by a lost SYN-ACK (the class comment); never any other failure. */
  private static final int TIMEOUTS_ALLOWED = 2;
  private static BoxerLab lab;

  @BeforeAll
  static void startLab() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(2).vms(0).profile(NatProfile.LAMBDA)
        .lossPercent(LOSS_PERCENT).build());
  }

  @AfterAll
  static void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void thousandConnectsUnderFivePercentLoss_allSucceed() throws Exception {
    HostProcess server = lab.run("fn1-server", lab.host("fn1"), 2, EchoServer.class, PORT,
        Integer.toString(TIMEOUT_MILLIS)); // the server waits for a line as long as the client waits for its echo
    HostProcess client = lab.run("fn2-load", lab.host("fn2"), 2, ConnectLoad.class,
        external("fn1"), PORT, Integer.toString(THREADS), Integer.toString(PER_THREAD),
        "--timeout-ms", Integer.toString(TIMEOUT_MILLIS), "--deadline-s", "75", "--settle-ms", "0");
    server.awaitLine(l -> l.equals("listening on " + PORT), START);

    int exitCode = client.awaitExit(START.plusSeconds(75 + 2 * TIMEOUT_MILLIS / 1000));

    LoadReport report = LoadReport.parse(client.output());
    System.out.printf("LossIT: %d connects under %s%% loss in %d ms: %s; connect %s; round trip %s%n",
        THREADS * PER_THREAD, LOSS_PERCENT, report.elapsedMillis(), report.outcomes(), report.connectMicros(),
        report.roundTripMicros());
    assertThat(exitCode).as(client.output()).isZero();
    assertThat(report.outcomes().refused() + report.outcomes().other() + report.outcomes().unfinished())
        .as(client.output()).isZero();
    assertThat(report.outcomes().timedOut()).as(client.output()).isLessThanOrEqualTo(TIMEOUTS_ALLOWED);
    assertThat(report.outcomes().ok()).as(client.output())
        .isEqualTo(THREADS * PER_THREAD - report.outcomes().timedOut());
  }

  private static String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
