package io.boxer.examples.replicated;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks a {@link ReplicatedStore} end to end: writes {@code --keys} keys through the first of {@code --servers},
 * then reads every key back from every server and compares version and value. Prints
 * {@code replicated-store-client ok writes=K reads=R servers=S} and exits 0; or prints what differed (at most
 * 20 lines, then how many) and exits 1, as for a server that cannot be reached; 2 on a usage error.
 *
 * <p>While the servers start, a refused or timed-out connect and an {@code ERR unavailable} answer are tried
 * again, until {@code --wait-seconds} from the start. Values carry a random token of this run, so data left by
 * an earlier run cannot pass for this one's.
 */
public final class ReplicatedStoreClient {
  static final String USAGE =
      "usage: ReplicatedStoreClient --servers HOST:PORT[,HOST:PORT...] [--keys K (default 100)]"
          + " [--wait-seconds S (default 30)]";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static final long RETRY_MILLIS = 200;
  private static final int MAX_REPORTED = 20;

  private final List<InetSocketAddress> servers;
  private final int keys;
  private final long deadline;
  private final PrintStream out;

  ReplicatedStoreClient(List<InetSocketAddress> servers, int keys, Duration wait, PrintStream out) {
    this.servers = servers;
    this.keys = keys;
    this.deadline = System.nanoTime() + wait.toNanos();
    this.out = out;
  }

  /** Writes, reads back and compares; the exit code. */
  int run() throws InterruptedException {
    String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
    Map<String, String> expected = new LinkedHashMap<>();
    InetSocketAddress writer = servers.get(0);
    try (LineConnection connection = connect(writer)) {
      for (int i = 0; i < keys; i++) {
        String key = "key-" + i;
        String value = "value-" + i + "-" + token;
        String answer = putRetrying(connection, key, value);
        if (!answer.matches("OK \\d+")) {
          out.println("PUT " + key + " through " + writer + ": " + answer);
          return 1;
        }
        expected.put(key, "VALUE " + answer.substring(3) + " " + value);
      }
    } catch (IOException e) {
      out.println("writing through " + writer + " failed: " + e.getMessage());
      return 1;
    }
    List<String> differences = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      try (LineConnection connection = connect(server)) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
          String answer = connection.request("GET " + e.getKey());
          if (!answer.equals(e.getValue())) {
            differences.add(server + " GET " + e.getKey() + ": " + answer + " (expected: " + e.getValue() + ")");
          }
        }
      } catch (IOException e) {
        differences.add(server + ": reading failed: " + e.getMessage());
      }
    }
    if (!differences.isEmpty()) {
      differences.stream().limit(MAX_REPORTED).forEach(out::println);
      out.println("replicated-store-client failed: " + differences.size() + " differences");
      return 1;
    }
    out.println("replicated-store-client ok writes=" + keys + " reads=" + keys * servers.size()
        + " servers=" + servers.size());
    return 0;
  }

  private LineConnection connect(InetSocketAddress server) throws IOException, InterruptedException {
    while (true) {
      try {
        return LineConnection.open(server, CONNECT_TIMEOUT, READ_TIMEOUT);
      } catch (ConnectException | SocketTimeoutException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new IOException("cannot connect to " + server + ": " + e.getMessage(), e);
        }
        Thread.sleep(RETRY_MILLIS);
      }
    }
  }

  private String putRetrying(LineConnection connection, String key, String value)
      throws IOException, InterruptedException {
    while (true) {
      String answer = connection.request("PUT " + key + " " + value);
      if (!answer.startsWith("ERR unavailable") || System.nanoTime() - deadline >= 0) {
        return answer;
      }
      Thread.sleep(RETRY_MILLIS);
    }
  }

  static ReplicatedStoreClient parse(String[] args, PrintStream out) throws UsageException {
    Flags flags = Flags.parse(args, Set.of("--servers", "--keys", "--wait-seconds"), Set.of());
    String list = flags.value("--servers").orElseThrow(() -> new UsageException("--servers is required"));
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String server : list.split(",", -1)) {
      int colon = server.lastIndexOf(':');
      if (colon <= 0) {
        throw new UsageException("--servers : " + server + " (expected: HOST:PORT)");
      }
      InetSocketAddress address = new InetSocketAddress(server.substring(0, colon),
          Flags.parseInt("--servers " + server, server.substring(colon + 1), 1, 65535));
      if (address.isUnresolved()) {
        throw new UsageException("--servers : " + server + " (cannot resolve the host)");
      }
      servers.add(address);
    }
    if (servers.size() > 64) {
      throw new UsageException("--servers : " + servers.size() + " servers (expected: 1..64)");
    }
    int keys = flags.intValue("--keys", 100, 1, Table.MAX_KEYS);
    int waitSeconds = flags.intValue("--wait-seconds", 30, 1, 3600);
    return new ReplicatedStoreClient(List.copyOf(servers), keys, Duration.ofSeconds(waitSeconds), out);
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(USAGE);
      return;
    }
    ReplicatedStoreClient client;
    try {
      client = parse(args, System.out);
    } catch (UsageException e) {
      System.err.println("replicated-store-client: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    System.exit(client.run());
  }
}
