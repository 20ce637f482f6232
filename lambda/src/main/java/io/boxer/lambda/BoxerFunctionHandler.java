package io.boxer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.google.protobuf.util.JsonFormat;
import io.boxer.launcher.AgentFlag;
import io.boxer.launcher.AgentJar;
import io.boxer.launcher.AgentLoading;
import io.boxer.launcher.ClassDataArchive;
import io.boxer.proto.function.v1.FunctionRunResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda function handler: {@code boxer run} inside a function. The event is a {@code FunctionRun}
 * (control-proto {@code boxer/function/v1/function.proto}) in JSON; the response a {@code FunctionRunResult}: the
 * command's exit code, how the run ended, this member's id and address, and the tail of the command's output
 * (all of it also goes to the function's log).
 *
 * <p>Deadline: the command is stopped (SIGTERM to its process group, SIGKILL 2 s later) and the node leaves the
 * mesh {@link #DEADLINE_MARGIN} (8 s) before the function's deadline ({@code Context.getRemainingTimeInMillis}), so the
 * response always goes out and no member waits for a frozen one. An invalid event is a function error (the
 * runtime reports it through the Runtime API's error endpoint) with a message naming the field.
 *
 * <p>Needs from the image: the agent jar at {@code BOXER_AGENT_JAR} (and optionally {@code BOXER_AGENT_FLAG}:
 * {@code javaagent}, the default, or {@code agentlib}, see {@link #agentFlag}; and {@code BOXER_CLASS_DATA_ARCHIVE},
 * see {@link #classDataArchive}); {@code setsid}, {@code kill} and {@code sh}
 * on PATH; a writable /tmp (the only one Lambda has). Nothing else: no ip, no iptables, no write outside /tmp.
 */
public final class BoxerFunctionHandler implements RequestStreamHandler {
  private static final Logger log = LoggerFactory.getLogger(BoxerFunctionHandler.class);
  /**
   * How long before the function's deadline the handler stops: 2 s for the command's group between SIGTERM and
   * SIGKILL, 1 s to drain its output, up to 3 s to leave the mesh and the seed, and 2 s for the response and a
   * slow host.
   */
  public static final Duration DEADLINE_MARGIN = Duration.ofSeconds(8);

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    long startNanos = System.nanoTime();
    long remainingMillis = context.getRemainingTimeInMillis();
    RunRequest request = RunRequest.parse(input, System.getenv("BOXER_TOKEN"));
    AgentLoading agent = new AgentLoading(agentJar(System.getenv("BOXER_AGENT_JAR")),
        agentFlag(System.getenv("BOXER_AGENT_FLAG")), classDataArchive(System.getenv("BOXER_CLASS_DATA_ARCHIVE")));
    long stopAt = startNanos + TimeUnit.MILLISECONDS.toNanos(remainingMillis) - DEADLINE_MARGIN.toNanos();
    log.info("Invocation. requestId={} remainingMillis={} request={}", context.getAwsRequestId(), remainingMillis,
        request);
    FunctionRunResult result;
    if (stopAt - System.nanoTime() <= 0) {
      result = FunctionRunResult.newBuilder().setExitCode(1).setDeadlineReached(true)
          .setReason("the function's deadline is " + remainingMillis + " ms away, less than the handler's margin of "
              + DEADLINE_MARGIN.toMillis() + " ms: nothing started (raise the function's timeout)")
          .build();
    } else {
      try {
        result = new FunctionRunner(agent, System.getenv("PATH"),
            Path.of(System.getProperty("java.io.tmpdir"))).run(request, stopAt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running the command", e);
      }
    }
    result = result.toBuilder()
        .setDurationMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)).build();
    output.write(JsonFormat.printer().omittingInsignificantWhitespace().print(result).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * How the command's JVMs load the agent, from the function's BOXER_AGENT_FLAG (as {@code boxer run
   * --agent-flag}): unset means javaagent, which works in every JVM; agentlib starts each JVM faster but aborts
   * one whose modules lack java.instrument (launcher's {@link AgentFlag}).
   */
  static AgentFlag agentFlag(String value) {
    if (value == null || value.isBlank()) {
      return AgentFlag.JAVAAGENT;
    }
    try {
      return AgentFlag.parse("BOXER_AGENT_FLAG", value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The class-data-sharing archive the command's JVMs map, from the function's BOXER_CLASS_DATA_ARCHIVE (the image
   * writes it at build time with its own java; launcher's {@link ClassDataArchive}): unset means the JDK's own.
   */
  static Path classDataArchive(String value) {
    try {
      return ClassDataArchive.check("BOXER_CLASS_DATA_ARCHIVE", value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static Path agentJar(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("BOXER_AGENT_JAR : not set (expected: the path of boxer-agent.jar in the "
          + "function's image; see deploy/lambda/Dockerfile)");
    }
    try {
      return AgentJar.check("BOXER_AGENT_JAR", Path.of(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
