package io.boxer.deathstar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.deathstar.app.Role;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploymentTest {

  @Test
  void everyServiceHasItsOwnHost_andRedisAnotherOne_withinTheLab() {
    for (Deployment d : Deployment.values()) {
      Set<String> hosts = new HashSet<>();
      for (Role role : Role.values()) {
        assertThat(hosts.add(d.host(role))).as("%s: %s shares a host", d, role).isTrue();
      }
      assertThat(hosts).doesNotContain(d.redisHost());
      int vms = d.labSpec().vms();
      int functions = d.labSpec().functions();
      hosts.add(d.redisHost());
      assertThat(hosts).allSatisfy(h -> assertThat(
          h.startsWith("vm") ? Integer.parseInt(h.substring(2)) <= vms : Integer.parseInt(h.substring(2)) <= functions)
          .as("%s: %s is in the lab", d, h).isTrue());
    }
  }

  @Test
  void placement_followsThePaper() {
    assertThat(Deployment.VMS.boxer()).isFalse();
    assertThat(Deployment.VMS_BOXER.boxer()).isTrue();
    assertThat(Deployment.FUNCTIONS_BOXER.boxer()).isTrue();
    for (Deployment d : Deployment.values()) {
      assertThat(d.host(Role.FRONTEND)).isEqualTo("vm1");
      assertThat(d.redisHost()).startsWith("vm");
    }
    assertThat(Arrays.stream(Role.values()).filter(r -> r != Role.FRONTEND).map(Deployment.FUNCTIONS_BOXER::host))
        .allMatch(h -> h.startsWith("fn"));
    assertThat(Arrays.stream(Role.values()).map(Deployment.VMS_BOXER::host)).allMatch(h -> h.startsWith("vm"));
    assertThat(Deployment.FUNCTIONS_BOXER.labSpec().functions()).isEqualTo(8);
  }

  @Test
  void roles_startWithTheFrontend_andNameEveryRoleOnce() {
    List<Role> order = Deployment.roles();
    assertThat(order.get(0)).isEqualTo(Role.FRONTEND);
    assertThat(order).containsExactlyInAnyOrder(Role.values()).doesNotHaveDuplicates();
    assertThat(Deployment.MEMBERS).isEqualTo(order.size());
  }

  @Test
  void parse_acceptsNumbersAndLabels_rejectsTheRestNamingTheChoices() {
    assertThat(Deployment.parse("1")).isEqualTo(Deployment.VMS);
    assertThat(Deployment.parse("vms-boxer")).isEqualTo(Deployment.VMS_BOXER);
    assertThat(Deployment.parse("3")).isEqualTo(Deployment.FUNCTIONS_BOXER);
    assertThatThrownBy(() -> Deployment.parse("4")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: 1, 2, 3 or vms, vms-boxer, functions-boxer");
  }
}
