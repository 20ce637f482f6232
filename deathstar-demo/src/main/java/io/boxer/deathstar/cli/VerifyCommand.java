package io.boxer.deathstar.cli;

import io.boxer.deathstar.load.FrontendClient;
import io.boxer.deathstar.load.FrontendRequests;
import io.boxer.deathstar.load.VerificationAttempts;
import io.boxer.deathstar.load.VerificationException;
import io.boxer.deathstar.load.Verifier;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code verify}: end-to-end correctness check of a running deployment. */
@Command(
    name = "verify",
    description = {
        "Checks a running deployment end to end through its frontend.",
        "Checks the seeded graph, a follow, and a composed post (URL shortened, mention resolved) in the "
            + "author's, a follower's and the mentioned user's timelines. Prints one line per passed check; exits 1 "
            + "with the first mismatch."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class VerifyCommand implements Callable<Integer> {
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);
  @Spec CommandSpec spec;

  @Option(names = "--target", paramLabel = "URL", defaultValue = "${env:DEATHSTAR_TARGET}",
      description = "The frontend, http://HOST:PORT (env DEATHSTAR_TARGET).")
  String target;

  @Option(names = "--users", paramLabel = "N", defaultValue = "300",
      description = "Seeded users (the social-graph's graph.users).")
  int users;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Per-request timeout.")
  int timeoutSeconds;

  @Option(names = "--attempts", paramLabel = "N", defaultValue = "3",
      description = "Runs at most (1..10): a run that meets a backend timeout or an unavailable service (HTTP 502, "
          + "503, 504) or a request timeout is run again after 2 s, as a just-started deployment answers slowly at "
          + "first; a wrong answer fails at once.")
  int attempts;

  @Override
  public Integer call() throws Exception {
    URI uri = targetUri();
    if (users < 3) {
      throw new ParameterException(spec.commandLine(), "--users : " + users + " (expected: >= 3)");
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 600) {
      throw new ParameterException(spec.commandLine(), "--timeout : " + timeoutSeconds + " (expected: 1..600)");
    }
    if (attempts < 1 || attempts > 10) {
      throw new ParameterException(spec.commandLine(), "--attempts : " + attempts + " (expected: 1..10)");
    }
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    Verifier verifier = new Verifier(new FrontendClient(http, new FrontendRequests(uri, timeout)), users);
    PrintWriter out = spec.commandLine().getOut();
    VerificationAttempts runs = new VerificationAttempts(attempts, RETRY_PAUSE, line -> {
      out.println("verify: " + line);
      out.flush();
    });
    try {
      for (String check : runs.verify(verifier)) {
        out.println("ok: " + check);
      }
    } catch (VerificationException e) {
      out.flush();
      spec.commandLine().getErr().println("verify: FAILED: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return Main.EXIT_RUNTIME_ERROR;
    }
    out.println("verify: all checks passed against " + uri);
    out.flush();
    return 0;
  }

  private URI targetUri() {
    String expected = " (expected: http://HOST:PORT, or set DEATHSTAR_TARGET)";
    if (target == null || target.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--target : missing" + expected);
    }
    try {
      URI uri = new URI(target);
      if ("http".equals(uri.getScheme()) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ParameterException(spec.commandLine(), "--target : '" + target + "'" + expected);
  }
}
