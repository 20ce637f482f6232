package io.boxer.bench.paper;

import io.boxer.bench.storage.StartSignal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The paper's evaluation (issue 11, item 2): the workers that {@code bin/paper-bench} runs in lab hosts, under
 * {@code boxer run} or without it, and the report. Workers print one JSON {@link Measurement} per line. Exit
 * codes: 0 done, 1 failed, 2 usage error.
 */
@Command(name = "paper-bench", mixinStandardHelpOptions = true,
    description = "Throughput, RTT, time to first byte and fan-in per connection type, and their report.",
    subcommands = {PaperBench.Serve.class, PaperBench.Client.class, PaperBench.FanInSend.class,
        PaperReport.Command.class})
public final class PaperBench {
  public static void main(String[] args) {
    System.exit(new CommandLine(new PaperBench()).execute(args));
  }

  /** Checks a number option: {@code --name : value (expected: min..max)}. */
  static int check(CommandLine.Model.CommandSpec spec, String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(), name + " : " + value + " (expected: " + min + ".." + max + ")");
    }
    return value;
  }

  /** Where a client's results belong: the lab's delay, the connection type and the round. */
  static final class Labels {
    @Option(names = "--delay", required = true, description = "The lab's added round trip, e.g. 0 or 0.5ms.")
    String delay;
    @Option(names = "--type", required = true, description = "The connection type: v2v-native, f2v-native, v2v, f2v, v2f or f2f.")
    String type;
    @Option(names = "--round", required = true) int round;

    ConnectionType connectionType(CommandLine.Model.CommandSpec spec) {
      try {
        return ConnectionType.byId(type);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
      }
    }

    void checkDelay(CommandLine.Model.CommandSpec spec) {
      if (!delay.matches("[0-9][0-9.]*(ms)?")) {
        throw new ParameterException(spec.commandLine(), "--delay : '" + delay + "' (expected: e.g. 0 or 0.5ms)");
      }
      check(spec, "--round", round, 1, 1000);
    }
  }

  /** The server's address: its data port and its first-byte port next to it. */
  static final class Target {
    @Option(names = "--host", required = true) String host;
    @Option(names = "--port", required = true, description = "The data port; the first-byte port is the next one.")
    int port;

    BenchClient client(CommandLine.Model.CommandSpec spec) {
      check(spec, "--port", port, 1, 65534);
      return new BenchClient(new InetSocketAddress(host, port), new InetSocketAddress(host, port + 1));
    }
  }

  @Command(name = "serve", description = "Serve bulk, ping-pong (PORT) and first-byte (PORT+1) requests.")
  static final class Serve implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Option(names = "--port", required = true) int port;
    @Option(names = "--max-seconds", defaultValue = "3600", description = "Exit after this long at the latest.")
    int maxSeconds;

    @Override
    public Integer call() throws Exception {
      new BenchServer().serve(check(spec, "--port", port, 1, 65534), port + 1, check(spec, "--max-seconds", maxSeconds, 1, 86_400));
      return 0;
    }
  }

  @Command(name = "client", description = "Measure one connection type once: bulk forward and reverse, ping-pong RTT, time to first byte.")
  static final class Client implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Labels labels = new Labels();
    @CommandLine.Mixin Target target = new Target();
    @Option(names = "--seconds", defaultValue = "5", description = "Length of each bulk transfer.") int seconds;
    @Option(names = "--rtt-samples", defaultValue = "100", description = "Ping-pong samples of 128 round trips.") int rttSamples;
    @Option(names = "--ttfb-count", defaultValue = "1024", description = "Fresh connections measured.") int ttfbCount;
    @Option(names = "--ttfb-warmup", defaultValue = "16", description = "Fresh connections first, unmeasured.") int ttfbWarmup;

    @Override
    public Integer call() throws Exception {
      labels.checkDelay(spec);
      ConnectionType type = labels.connectionType(spec);
      BenchClient client = target.client(spec);
      int millis = check(spec, "--seconds", seconds, 1, 600) * 1000;
      int samples = check(spec, "--rtt-samples", rttSamples, 1, 10_000);
      int count = check(spec, "--ttfb-count", ttfbCount, 1, 10_000);
      int warmup = check(spec, "--ttfb-warmup", ttfbWarmup, 0, 1000);
      List<Measurement> results = new ArrayList<>();
      // first-byte first: the connection setup is what differs most, measure it before bulk traffic heats the host
      results.add(measurement(type, Metric.TTFB, client.timeToFirstByte(count, warmup)));
      results.add(measurement(type, Metric.RTT, client.pingPong(samples)));
      results.add(measurement(type, Metric.THROUGHPUT_FORWARD, client.forward(millis)));
      results.add(measurement(type, Metric.THROUGHPUT_REVERSE, client.reverse(millis)));
      results.forEach(m -> System.out.println(m.toJson()));
      return 0;
    }

    private Measurement measurement(ConnectionType type, Metric metric, double[] samples) {
      return new Measurement(labels.delay, type, labels.round, metric, 1, samples);
    }
  }

  @Command(name = "fan-in-send",
      description = "One fan-in sender: for each level L >= INDEX, wait for the level's start, then send for SECONDS.")
  static final class FanInSend implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Target target = new Target();
    @Option(names = "--delay", required = true) String delay;
    @Option(names = "--round", required = true) int round;
    @Option(names = "--index", required = true, description = "This sender's number, 1..N.") int index;
    @Option(names = "--levels", required = true, split = ",", description = "Numbers of senders at once, e.g. 1,2,4,8.")
    List<Integer> levels;
    @Option(names = "--seconds", defaultValue = "5") int seconds;
    @Option(names = "--start-dir", required = true, paramLabel = "DIR",
        description = "Where the script writes start-rROUND-L once the level's senders are ready.")
    Path startDir;

    @Override
    public Integer call() throws Exception {
      Labels labels = new Labels();
      labels.delay = delay;
      labels.round = round;
      labels.checkDelay(spec);
      BenchClient client = target.client(spec);
      check(spec, "--index", index, 1, 64);
      int millis = check(spec, "--seconds", seconds, 1, 600) * 1000;
      check(spec, "--levels (count)", levels.size(), 1, 64);
      levels.forEach(level -> check(spec, "--levels", level, 1, 64));
      for (int level : levels) {
        if (index > level) {
          continue;
        }
        StartSignal.ready(startDir.resolve("start-r" + round + "-" + level), "fanin-" + level + "-" + index);
        double[] samples = client.forward(millis);
        System.out.println(new Measurement(delay, ConnectionType.FUNCTION_TO_FUNCTION, round, Metric.FAN_IN, level,
            samples).toJson());
        System.out.flush();
      }
      return 0;
    }
  }
}
