package io.boxer.examples.echo;

import io.boxer.examples.load.ConnectLoad;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Echo exchanges with an {@link EchoServer}, one at a time, each when a test lets it:
 * {@code GatedConnects MODES HOST PORT COUNT GATE_DIR}. Prints {@code gatedconnects pid PID}, then for connect i
 * (0..COUNT-1) waits for the file {@code GATE_DIR/connect-i}, makes one exchange through the i-th of the
 * comma-separated {@link ConnectModes} modes (cycling), and prints {@code gatedconnects i MODE reply: ...}; then
 * waits for {@code GATE_DIR/exit} and exits 0. Knows nothing of Boxer. Exits 5 on a failed exchange, 6 when a
 * gate does not appear within 300 s, 2 on bad arguments.
 */
public final class GatedConnects {
  private static final int GATE_SECONDS = 300;

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.out.println("usage: GatedConnects MODES HOST PORT COUNT GATE_DIR");
      System.exit(2);
    }
    String[] modes = args[0].split(",");
    InetSocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
    int count = Integer.parseInt(args[3]);
    Path gates = Path.of(args[4]);
    if (count < 1 || count > 1000) {
      System.out.println("COUNT : " + count + " (expected: 1..1000)");
      System.exit(2);
    }
    System.out.println("gatedconnects pid " + ProcessHandle.current().pid());
    for (int i = 0; i < count; i++) {
      await(gates.resolve("connect-" + i));
      String mode = modes[i % modes.length];
      try {
        System.out.println("gatedconnects " + i + " " + mode + " reply: " + ConnectModes.exchange(mode, target, "warm-" + i));
      } catch (Exception e) {
        System.out.println("gatedconnects " + i + " " + mode + " failed: " + e);
        System.exit(5);
      }
    }
    await(gates.resolve("exit"));
    System.exit(0);
  }

  private static void await(Path gate) throws InterruptedException {
    if (!ConnectLoad.awaitFile(gate, GATE_SECONDS)) {
      System.out.println("gatedconnects gave up: " + gate + " did not appear within " + GATE_SECONDS + " s");
      System.exit(6);
    }
  }

  private GatedConnects() {}
}
