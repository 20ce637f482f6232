package io.boxer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunRequestTest {
  private static final String TOKEN = "boxer_run-request-test-token-0123456789";

  private static RunRequest parse(String json, String functionToken) throws Exception {
    return RunRequest.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), functionToken);
  }

  @Test
  void parse_readsTheDocumentedEvent() throws Exception {
    RunRequest request = parse("""
        {"seed": "198.18.0.2:7946", "token": "%s", "members": 3, "role": "replica",
         "command": ["java", "-jar", "/opt/app/app.jar"], "environment": {"APP_MODE": "test"},
         "barrierTimeoutSeconds": 60}""".formatted(TOKEN), null);
    assertThat(request.seed().getHostString()).isEqualTo("198.18.0.2");
    assertThat(request.seed().getPort()).isEqualTo(7946);
    assertThat(request.members()).isEqualTo(3);
    assertThat(request.role()).isEqualTo("replica");
    assertThat(request.command()).containsExactly("java", "-jar", "/opt/app/app.jar");
    assertThat(request.environment()).containsEntry("APP_MODE", "test");
    assertThat(request.barrierTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(request.toString()).doesNotContain(TOKEN);
  }

  @Test
  void parse_defaults_andTheFunctionsToken() throws Exception {
    RunRequest request = parse("{\"seed\": \"seed.example:7946\", \"command\": [\"true\"]}", TOKEN);
    assertThat(request.members()).isZero();
    assertThat(request.role()).isEqualTo("member");
    assertThat(request.barrierTimeout()).isEqualTo(RunRequest.DEFAULT_BARRIER_TIMEOUT);
  }

  @Test
  void parse_refusesBadEvents_namingTheField() {
    String ok = "\"seed\": \"198.18.0.2:7946\", \"command\": [\"true\"]";
    assertThatThrownBy(() -> parse("{" + ok + ", \"comand\": []}", TOKEN)).hasMessageContaining("comand");
    assertThatThrownBy(() -> parse("not json", TOKEN)).hasMessageStartingWith("event : ");
    assertThatThrownBy(() -> parse("{\"command\": [\"true\"]}", TOKEN)).hasMessageStartingWith("seed : missing");
    assertThatThrownBy(() -> parse("{\"seed\": \"nope\", \"command\": [\"true\"]}", TOKEN))
        .hasMessageStartingWith("seed : ");
    assertThatThrownBy(() -> parse("{" + ok + "}", null)).hasMessageStartingWith("token : missing");
    assertThatThrownBy(() -> parse("{" + ok + ", \"token\": \"short\"}", null)).hasMessageStartingWith("token : ")
        .hasMessageNotContaining("short");
    assertThatThrownBy(() -> parse("{\"seed\": \"198.18.0.2:7946\"}", TOKEN)).hasMessageStartingWith("command : missing");
    assertThatThrownBy(() -> parse("{" + ok + ", \"members\": 501}", TOKEN)).hasMessageStartingWith("members : 501");
    assertThatThrownBy(() -> parse("{" + ok + ", \"members\": 4294967295}", TOKEN))
        .hasMessageStartingWith("members : 4294967295");
    assertThatThrownBy(() -> parse("{" + ok + ", \"barrierTimeoutSeconds\": 4294967295}", TOKEN))
        .hasMessageStartingWith("barrierTimeoutSeconds : 4294967295");
    assertThatThrownBy(() -> parse("{" + ok + ", \"role\": \"bad role\"}", TOKEN)).hasMessageContaining("role");
    assertThatThrownBy(() -> parse("{" + ok + ", \"environment\": {\"1X\": \"v\"}}", TOKEN))
        .hasMessageStartingWith("environment : '1X'");
    assertThatThrownBy(() -> parse("{" + ok + ", \"environment\": {\"BOXER_TOKEN\": \"v\"}}", TOKEN))
        .hasMessageContaining("Boxer sets those");
    assertThatThrownBy(() -> parse("{" + ok + ", \"barrierTimeoutSeconds\": 901}", TOKEN))
        .hasMessageStartingWith("barrierTimeoutSeconds : 901");
  }

  @Test
  void parse_refusesAnEventAboveLambdasLimit() {
    byte[] big = new byte[RunRequest.MAX_EVENT_BYTES + 1];
    assertThatThrownBy(() -> RunRequest.parse(new ByteArrayInputStream(big), TOKEN)).hasMessageContaining("bytes");
  }
}
