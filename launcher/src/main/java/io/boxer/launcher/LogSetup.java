package io.boxer.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How boxer logs: to stderr (stdout belongs to the command and to tables like {@code boxer status}), one line per
 * event, as text or as JSON objects (logback's {@link JsonEncoder}: timestamp, level, thread, logger, message, for
 * log shippers), at a level (debug: Boxer's own detail; trace: the libraries' too). Chosen by {@code --log-level}/{@code --log-format}, else the environment
 * ({@code BOXER_LOG_LEVEL}, {@code BOXER_LOG_FORMAT}; in a Lambda function whose log format is JSON,
 * {@code AWS_LAMBDA_LOG_FORMAT=JSON} makes it JSON too), else info and text. Configured in code, found by logback
 * through its {@link Configurator} service: no XML to parse on every cold start.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  public static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");
  public static final List<String> FORMATS = List.of("text", "json");
  static final String LEVEL_PROPERTY = "boxer.log.level";
  static final String FORMAT_PROPERTY = "boxer.log.format";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    apply(context, chooseLevel(System.getProperty(LEVEL_PROPERTY)), chooseFormat(System.getProperty(FORMAT_PROPERTY)));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Logs at {@code level} in {@code format} from now on (both validated: a usage error names the flag; null: the
   * environment's, else the default).
   *
   * @throws IllegalArgumentException for a level or format not in {@link #LEVELS} / {@link #FORMATS}
   */
  public static void use(String level, String format) {
    String l = level == null ? chooseLevel(null) : validate("--log-level", level, LEVELS);
    String f = format == null ? chooseFormat(null) : validate("--log-format", format, FORMATS);
    System.setProperty(LEVEL_PROPERTY, l);
    System.setProperty(FORMAT_PROPERTY, f);
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      apply(context, l, f);
    }
  }

  private static String chooseLevel(String property) {
    return choose(property, System.getenv("BOXER_LOG_LEVEL"), "info", LEVELS);
  }

  private static String chooseFormat(String property) {
    return choose(property, System.getenv("BOXER_LOG_FORMAT"),
        "JSON".equalsIgnoreCase(System.getenv("AWS_LAMBDA_LOG_FORMAT")) ? "json" : "text", FORMATS);
  }

  private static String validate(String flag, String value, List<String> allowed) {
    String v = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new IllegalArgumentException(flag + " : " + value + " (expected: one of " + String.join(", ", allowed) + ")");
    }
    return v;
  }

  /** The flag's value, else the environment's if valid (a bad one is reported once on stderr), else the default. */
  private static String choose(String property, String env, String fallback, List<String> allowed) {
    if (property != null) {
      return property;
    }
    if (env == null || env.isBlank()) {
      return fallback;
    }
    if (!allowed.contains(env.toLowerCase(Locale.ROOT))) {
      System.err.println("boxer: ignoring a log setting from the environment: " + env + " (expected: one of "
          + String.join(", ", allowed) + ")");
      return fallback;
    }
    return env.toLowerCase(Locale.ROOT);
  }

  private static void apply(LoggerContext context, String level, String format) {
    Encoder<ILoggingEvent> encoder;
    if (format.equals("json")) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.setWithMessage(false);
      json.setWithFormattedMessage(true);
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern("%d{HH:mm:ss.SSS} [%thread] %level %logger{0} - %msg%n");
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(stderr);
    // debug is Boxer's own detail; the libraries' (Netty, gRPC) only at trace
    Level chosen = Level.toLevel(level);
    root.setLevel(chosen.isGreaterOrEqual(Level.INFO) || chosen == Level.TRACE ? chosen : Level.INFO);
    context.getLogger("io.boxer").setLevel(chosen);
  }
}
