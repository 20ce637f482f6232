package io.boxer.testing.lambda;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link RuntimeApiStandIn}s driven through a directory, for a lab test whose functions run in network namespaces
 * the test JVM cannot listen in: {@code main} runs in a lab host, serves one stand-in per function, and the test
 * hands it invocations and reads their outcomes as files (the lab's hosts share the test's file system).
 *
 * <p>Layout per function {@code NAME}: the test renames {@code DIR/NAME/in/<requestId>.<deadlineEpochMs>.event}
 * into place (its content is the event); the spool writes {@code DIR/NAME/out/<requestId>.outcome}, atomically,
 * whose first line is {@code RESPONSE} or {@code ERROR <error-type>} and the rest the posted body.
 */
public final class RuntimeApiSpool {
  private static final Pattern EVENT = Pattern.compile("([A-Za-z0-9-]{1,64})\\.(\\d{1,15})\\.event");
  /** The spool's main loop looks for new invocations this often, and lives at most this long. */
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration LIFETIME = Duration.ofMinutes(30);

  private RuntimeApiSpool() {}

  /** {@code RuntimeApiSpool DIR ADDRESS NAME=PORT...}: serves each function's stand-in on ADDRESS:PORT. */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: RuntimeApiSpool DIR ADDRESS NAME=PORT...");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    InetAddress address = InetAddress.getByName(args[1]);
    List<String> names = new ArrayList<>();
    List<RuntimeApiStandIn> standIns = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String[] nameAndPort = args[i].split("=", 2);
      names.add(nameAndPort[0]);
      Files.createDirectories(dir.resolve(nameAndPort[0]).resolve("in"));
      Files.createDirectories(dir.resolve(nameAndPort[0]).resolve("out"));
      standIns.add(RuntimeApiStandIn.start(new InetSocketAddress(address, Integer.parseInt(nameAndPort[1]))));
    }
    System.out.println("runtime-api-spool ready");
    System.out.flush();
    long until = System.nanoTime() + LIFETIME.toNanos();
    while (System.nanoTime() < until) {
      for (int i = 0; i < names.size(); i++) {
        Path fn = dir.resolve(names.get(i));
        try (DirectoryStream<Path> events = Files.newDirectoryStream(fn.resolve("in"), "*.event")) {
          for (Path event : events) {
            Matcher m = EVENT.matcher(event.getFileName().toString());
            if (m.matches()) {
              Path out = fn.resolve("out").resolve(m.group(1) + ".outcome");
              standIns.get(i).invoke(m.group(1), Files.readAllBytes(event),
                  Instant.ofEpochMilli(Long.parseLong(m.group(2)))).thenAccept(outcome -> write(out, outcome));
            }
            Files.delete(event);
          }
        }
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static void write(Path out, RuntimeApiStandIn.Outcome outcome) {
    String head = outcome.kind() == RuntimeApiStandIn.Kind.RESPONSE
        ? "RESPONSE" : "ERROR " + outcome.errorType().orElse("-");
    try {
      Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
      Files.writeString(tmp, head + "\n" + outcome.body(), StandardCharsets.UTF_8);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      System.err.println("runtime-api-spool: cannot write " + out + ": " + e);
    }
  }

  /** The test's side: queues an invocation for function {@code name} and returns where its outcome will be. */
  public static Path submit(Path dir, String name, String requestId, String event, Instant deadline)
      throws IOException {
    Path in = dir.resolve(name).resolve("in");
    Files.createDirectories(in);
    Path tmp = in.resolve(requestId + ".tmp");
    Files.writeString(tmp, event, StandardCharsets.UTF_8);
    Files.move(tmp, in.resolve(requestId + "." + deadline.toEpochMilli() + ".event"), StandardCopyOption.ATOMIC_MOVE);
    return dir.resolve(name).resolve("out").resolve(requestId + ".outcome");
  }

  /** Reads an outcome file the spool wrote, or empty while there is none. */
  public static Optional<RuntimeApiStandIn.Outcome> read(Path outcome) throws IOException {
    if (!Files.exists(outcome)) {
      return Optional.empty();
    }
    String text = Files.readString(outcome, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String head = text.substring(0, newline);
    String body = text.substring(newline + 1);
    Instant at = Files.getLastModifiedTime(outcome).toInstant();
    if (head.equals("RESPONSE")) {
      return Optional.of(new RuntimeApiStandIn.Outcome(RuntimeApiStandIn.Kind.RESPONSE, body, Optional.empty(), at));
    }
    return Optional.of(new RuntimeApiStandIn.Outcome(RuntimeApiStandIn.Kind.ERROR, body,
        Optional.of(head.substring("ERROR ".length())), at));
  }
}
