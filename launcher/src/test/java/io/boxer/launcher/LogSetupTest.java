package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogSetupTest {
  private final PrintStream stderr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final Logger log = LoggerFactory.getLogger("io.boxer.test.LogSetupTest");

  private String logged(String level, String format) {
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LogSetup.use(level, format);
    log.info("Joined the cluster. peerId={}", 42);
    log.debug("Detail. value={}", 7);
    LoggerFactory.getLogger("io.netty.Test").debug("a library's detail");
    return captured.toString(StandardCharsets.UTF_8);
  }

  @AfterEach
  void restore() {
    System.setErr(stderr);
    LogSetup.use("info", "text");
    System.clearProperty(LogSetup.LEVEL_PROPERTY);
    System.clearProperty(LogSetup.FORMAT_PROPERTY);
  }

  @Test
  void json_writesOneObjectPerEvent_withTheFormattedMessage() {
    String out = logged("info", "json");
    assertThat(out.lines()).hasSize(1);
    JsonObject event = JsonParser.parseString(out.strip()).getAsJsonObject();
    assertThat(event.get("level").getAsString()).isEqualTo("INFO");
    assertThat(event.get("loggerName").getAsString()).isEqualTo("io.boxer.test.LogSetupTest");
    assertThat(event.get("formattedMessage").getAsString()).isEqualTo("Joined the cluster. peerId=42");
    assertThat(event.has("timestamp")).isTrue();
  }

  @Test
  void text_writesLines_atTheChosenLevel_withLibrariesDebugOnlyAtTrace() {
    String debug = logged("debug", "text");
    assertThat(debug).contains("INFO LogSetupTest - Joined the cluster. peerId=42", "DEBUG LogSetupTest - Detail. value=7")
        .doesNotContain("a library's detail");
    captured.reset();
    assertThat(logged("trace", "text")).contains("a library's detail");
    captured.reset();
    assertThat(logged("warn", "text")).isEmpty();
  }

  @Test
  void use_refusesUnknownLevelsAndFormats_namingTheFlag() {
    assertThatThrownBy(() -> LogSetup.use("verbose", "text")).hasMessage(
        "--log-level : verbose (expected: one of error, warn, info, debug, trace)");
    assertThatThrownBy(() -> LogSetup.use("info", "xml")).hasMessage("--log-format : xml (expected: one of text, json)");
  }
}
