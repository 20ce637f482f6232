package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.hostport.HostPort;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

  /** Every key a start script renders: all role addresses and Redis. */
  private static Map<String, String> rendered() {
    Map<String, String> values = new HashMap<>();
    int i = 1;
    for (Role role : Role.values()) {
      values.put(ServiceConfig.addressKey(role), "10.0.0." + i++ + ":" + role.defaultPort());
    }
    values.put("redis.address", "10.0.1.1:6379");
    return values;
  }

  @Test
  void from_renderedFile_keepsOnlyTheRolesDownstream() {
    ServiceConfig config = ServiceConfig.from(Role.COMPOSE_POST, rendered());

    assertThat(config.downstream().keySet()).containsExactlyInAnyOrderElementsOf(Role.COMPOSE_POST.downstream());
    assertThat(config.address(Role.TEXT)).isEqualTo(new HostPort("10.0.0.3", 9002));
    assertThat(config.redis()).isEmpty();
  }

  @Test
  void from_defaults_areTheRolesPortAndDocumentedValues() {
    ServiceConfig config = ServiceConfig.from(Role.UNIQUE_ID, Map.of());

    assertThat(config.listenHost()).isEqualTo("0.0.0.0");
    assertThat(config.listenPort()).isEqualTo(9004);
    assertThat(config.rpcDeadline()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.machineId()).isZero();
    assertThat(config.graphUsers()).isEqualTo(300);
    assertThat(config.redisPoolSize()).isEqualTo(16);
    assertThat(config.httpThreads()).isEqualTo(32);
  }

  @Test
  void from_storingRole_requiresRedis() {
    Map<String, String> values = rendered();
    values.remove("redis.address");

    assertThatThrownBy(() -> ServiceConfig.from(Role.POST_STORAGE, values))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("redis.address : missing (expected: HOST:PORT; the post-storage service stores");
  }

  @Test
  void from_missingDownstreamAddress_namesTheKey() {
    Map<String, String> values = rendered();
    values.remove("url-shorten.address");

    assertThatThrownBy(() -> ServiceConfig.from(Role.TEXT, values))
        .isInstanceOf(ConfigException.class)
        .hasMessage("url-shorten.address : missing (expected: HOST:PORT; the text service calls url-shorten)");
  }

  @Test
  void from_badAddressOfUnusedRole_isStillAnError() {
    Map<String, String> values = rendered();
    values.put("frontend.address", "10.0.0.1");

    assertThatThrownBy(() -> ServiceConfig.from(Role.UNIQUE_ID, values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("frontend.address : '10.0.0.1'");
  }

  @Test
  void from_unknownKey_isRejected() {
    assertThatThrownBy(() -> ServiceConfig.from(Role.UNIQUE_ID, Map.of("listen.prot", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown config key listen.prot (expected one of: listen.host, listen.port");
  }

  @Test
  void from_portOutOfRange_namesKeyValueAndRange() {
    assertThatThrownBy(() -> ServiceConfig.from(Role.UNIQUE_ID, Map.of("listen.port", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("listen.port : 70000 (expected: an integer in 0..65535)");
  }

  @Test
  void from_nonNumericValue_namesKey() {
    assertThatThrownBy(() -> ServiceConfig.from(Role.UNIQUE_ID, Map.of("machine.id", "one")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("machine.id : 'one' (expected: an integer in 0..1023)");
  }

  @Test
  void from_graphUsersTooSmall_isRejected() {
    assertThatThrownBy(() -> ServiceConfig.from(Role.UNIQUE_ID, Map.of("graph.users", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("graph.users : 1 (expected: an integer in 2..1000000)");
  }

  @Test
  void from_peersFile_isOptional_andMustNotBeEmpty() {
    Map<String, String> values = rendered();
    assertThat(ServiceConfig.from(Role.FRONTEND, values).peersFile()).isEmpty();

    values.put("peers.file", "/run/boxer/peers");
    assertThat(ServiceConfig.from(Role.FRONTEND, values).peersFile()).contains(java.nio.file.Path.of("/run/boxer/peers"));

    values.put("peers.file", "");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceConfig.from(Role.FRONTEND, values))
        .hasMessageContaining("peers.file : ''");
  }

  @Test
  void from_capacityKeys_giveAModeledCapacity_offByDefault() {
    Map<String, String> values = rendered();
    assertThat(ServiceConfig.from(Role.USER_TIMELINE, values).capacity()).isEmpty();

    values.put("capacity.concurrency", "2");
    values.put("capacity.service-ms", "40");
    values.put("served.file", "/tmp/x.served");
    ServiceConfig config = ServiceConfig.from(Role.USER_TIMELINE, values);

    assertThat(config.capacity()).contains(new ServiceConfig.ModeledCapacity(2, Duration.ofMillis(40)));
    assertThat(config.servedFile()).contains(java.nio.file.Path.of("/tmp/x.served"));
  }

  @Test
  void from_capacityKeys_comeTogetherAndInRange() {
    Map<String, String> values = rendered();
    values.put("capacity.concurrency", "2");
    assertThatThrownBy(() -> ServiceConfig.from(Role.USER_TIMELINE, values)).isInstanceOf(ConfigException.class)
        .hasMessage("capacity.service-ms : missing (expected: capacity.concurrency and capacity.service-ms "
            + "together, or neither)");

    values.put("capacity.service-ms", "0");
    assertThatThrownBy(() -> ServiceConfig.from(Role.USER_TIMELINE, values)).isInstanceOf(ConfigException.class)
        .hasMessage("capacity.service-ms : 0 (expected: an integer in 1..60000)");
  }
}
