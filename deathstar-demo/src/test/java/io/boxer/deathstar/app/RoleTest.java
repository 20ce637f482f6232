package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RoleTest {
  @Test
  void defaultPorts_matchTheStartScriptsTable() throws Exception {
    // surefire runs in the module's directory
    String script = Files.readString(Path.of("bin", "start-service"));
    Matcher entry = Pattern.compile("\\[([a-z-]+)]=(\\d+)").matcher(script);
    Map<String, Integer> scriptPorts = new HashMap<>();
    while (entry.find()) {
      scriptPorts.put(entry.group(1), Integer.parseInt(entry.group(2)));
    }
    Map<String, Integer> rolePorts = new HashMap<>();
    for (Role role : Role.values()) {
      rolePorts.put(role.configName(), role.defaultPort());
    }
    assertThat(scriptPorts).isEqualTo(rolePorts);
  }

  @Test
  void defaultPorts_areDistinct_soAllRolesCanShareAHost() {
    assertThat(EnumSet.allOf(Role.class).stream().map(Role::defaultPort).distinct()).hasSize(Role.values().length);
  }

  @Test
  void downstream_keepsDeathStarBenchsCallDepths() {
    assertThat(Role.FRONTEND.downstream()).contains(Role.COMPOSE_POST, Role.USER_TIMELINE, Role.SOCIAL_GRAPH);
    assertThat(Role.COMPOSE_POST.downstream()).contains(Role.TEXT);
    assertThat(Role.TEXT.downstream()).containsExactly(Role.URL_SHORTEN);
    assertThat(Role.URL_SHORTEN.usesRedis()).isTrue();
    assertThat(Role.USER_TIMELINE.downstream()).containsExactly(Role.POST_STORAGE);
    assertThat(Role.POST_STORAGE.usesRedis()).isTrue();
  }

  @Test
  void downstream_hasNoCycle() {
    for (Role role : Role.values()) {
      assertThat(reachable(role, EnumSet.noneOf(Role.class))).doesNotContain(role);
    }
  }

  @Test
  void fromConfigName_unknown_listsTheRoles() {
    assertThatThrownBy(() -> Role.fromConfigName("nginx"))
        .hasMessageStartingWith("unknown role 'nginx' (expected one of: frontend, compose-post, text");
  }

  private static Set<Role> reachable(Role from, Set<Role> seen) {
    for (Role callee : from.downstream()) {
      if (seen.add(callee)) {
        reachable(callee, seen);
      }
    }
    return seen;
  }
}
