package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pure parts of lab bookkeeping: namespace listing, grouping, metadata, host handles. */
class LabStateTest {
  @TempDir Path dir;

  @Test
  void parseList_takesFirstTokenOfEachLine() {
    assertThat(Namespaces.parseList("boxer-3fa2-fn1 (id: 3)\nfoo\n\n  boxer-3fa2-pub (id: 0)\n"))
        .containsExactly("boxer-3fa2-fn1", "foo", "boxer-3fa2-pub");
    assertThat(Namespaces.parseList("")).isEmpty();
  }

  @Test
  void members_selectsOnlyThatRunsNamespaces() {
    List<String> all = List.of("boxer-3fa2-fn1", "boxer-3fa2-pub", "boxer-3fa22-fn1", "boxer-beef-fn1",
        "boxer-3fa2-other", "cni-123");
    assertThat(Lab.members("3fa2", all)).containsExactly("boxer-3fa2-fn1", "boxer-3fa2-pub");
  }

  @Test
  void compareHostNames_ordersSeedVmsFunctionsByIndex() {
    List<String> names = new ArrayList<>(List.of("fn10", "vm2", "fn2", "seed", "vm10", "fn1"));
    names.sort(Lab::compareHostNames);
    assertThat(names).containsExactly("seed", "vm2", "vm10", "fn1", "fn2", "fn10");
  }

  @Test
  void metadata_roundTripsSpec() {
    LabMetadata m = new LabMetadata(dir.resolve("boxer-lab"));
    LabSpec spec = new LabSpec(3, 0, NatProfile.SYMMETRIC, 2.5, 60, VmFirewall.NONE);
    assertThat(m.claim("3fa2", spec)).isTrue();
    assertThat(m.read("3fa2")).contains(spec);
    assertThat(m.file("3fa2")).hasFileName("3fa2.properties");
  }

  @Test
  void metadata_roundTripsFunctionsPerNat() {
    LabMetadata m = new LabMetadata(dir);
    LabSpec spec = LabSpec.builder().functions(3).functionsPerNat(2).build();
    assertThat(m.claim("3fa2", spec)).isTrue();
    assertThat(m.read("3fa2")).map(LabSpec::functionsPerNat).contains(2);
    assertThat(m.read("3fa2")).contains(spec);
  }

  @Test
  void metadata_roundTripsWan_andDeletesTheDelayersFiles() throws IOException {
    LabMetadata m = new LabMetadata(dir);
    WanSpec wan = new WanSpec(Duration.ofNanos(500_000), Duration.ofNanos(50_000), 620);
    LabSpec spec = LabSpec.builder().functions(1).wan(wan).build();
    assertThat(m.claim("3fa2", spec)).isTrue();
    assertThat(m.read("3fa2")).map(LabSpec::wan).contains(wan);
    Files.writeString(m.wanStatusFile("3fa2"), "{}");
    Files.writeString(m.wanLogFile("3fa2"), "");
    m.delete("3fa2");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void metadata_fileWrittenBeforeSharedRouters_readsOneFunctionPerNat() throws IOException {
    // the keys a lab wrote before functionsPerNat existed
    Files.writeString(dir.resolve("cafe.properties"), "runId=cafe\nfunctions=2\nvms=1\nprofile=lambda\n"
        + "lossPercent=0.0\nnatEstablishedTimeoutSeconds=0\nvmFirewall=drop\n");
    assertThat(new LabMetadata(dir).read("cafe")).contains(LabSpec.builder().build());
  }

  @Test
  void hostOf_functionBehindASharedRouter_hasThatRoutersExternalAddressAndNamespace() {
    LabHost fn4 = LabHost.of("3fa2", "fn4", new NatGroups(3), LabTools.BARE);
    assertThat(fn4.address().getHostAddress()).isEqualTo("198.19.4.2");
    assertThat(fn4.externalAddress().getHostAddress()).isEqualTo("198.18.0.102");
    assertThat(fn4.natNamespace()).contains("boxer-3fa2-nat2");
    assertThat(LabHost.of("3fa2", "fn3", new NatGroups(3), LabTools.BARE).natNamespace()).contains("boxer-3fa2-nat1");
  }

  @Test
  void metadata_claimIsExclusive() {
    LabMetadata m = new LabMetadata(dir);
    assertThat(m.claim("beef", LabSpec.builder().build())).isTrue();
    assertThat(m.claim("beef", LabSpec.builder().functions(0).build())).isFalse();
    assertThat(m.read("beef")).contains(LabSpec.builder().build());
  }

  @Test
  void metadata_missingOrDamagedFile_readsEmpty() throws IOException {
    LabMetadata m = new LabMetadata(dir);
    assertThat(m.read("aaaa")).isEmpty();
    Files.writeString(dir.resolve("bbbb.properties"), "functions=x\n");
    assertThat(m.read("bbbb")).isEmpty();
    m.delete("bbbb");
    assertThat(m.exists("bbbb")).isFalse();
    m.delete("bbbb"); // idempotent
  }

  @Test
  void hostCommand_prefixesIpNetnsExec() {
    LabHost h = LabHost.of("3fa2", "fn1", NatGroups.ONE_EACH, LabTools.BARE);
    assertThat(h.command(List.of("java", "-version")))
        .containsExactly("ip", "netns", "exec", "boxer-3fa2-fn1", "java", "-version");
    assertThat(h.processBuilder("true").command())
        .containsExactly("ip", "netns", "exec", "boxer-3fa2-fn1", "true");
    assertThatThrownBy(() -> h.command(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void natCommand_runsOnTheFunctionsRouter_andOnlyForFunctions() {
    LabHost fn4 = LabHost.of("3fa2", "fn4", new NatGroups(3), LabTools.BARE);
    assertThat(fn4.natCommand(List.of("conntrack", "-L")))
        .containsExactly("ip", "netns", "exec", "boxer-3fa2-nat2", "conntrack", "-L");
    LabHost seed = LabHost.of("3fa2", "seed", NatGroups.ONE_EACH, LabTools.BARE);
    assertThatThrownBy(() -> seed.natCommand(List.of("true"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no NAT router");
  }

  @Test
  void hostOf_rejectsRoutersAndPub() {
    assertThatThrownBy(() -> LabHost.of("3fa2", "nat1", NatGroups.ONE_EACH, LabTools.BARE)).hasMessageContaining("not a host");
    assertThatThrownBy(() -> LabHost.of("3fa2", "pub", NatGroups.ONE_EACH, LabTools.BARE)).hasMessageContaining("not a host");
  }

  @Test
  void commandRunner_failure_namesCommandAndStderr() {
    CommandRunner r = new CommandRunner();
    assertThatThrownBy(() -> r.run(List.of("sh", "-c", "echo boom >&2; exit 3")))
        .isInstanceOf(LabException.class)
        .hasMessageContaining("exit 3")
        .hasMessageContaining("sh -c echo boom >&2; exit 3")
        .hasMessageContaining("stderr: boom");
    assertThat(r.run(List.of("sh", "-c", "echo ok"))).isEqualTo("ok\n");
  }

  @Test
  void commandRunner_timeout_killsAndThrows() {
    CommandRunner r = new CommandRunner(java.time.Duration.ofMillis(200));
    assertThatThrownBy(() -> r.run(List.of("sleep", "5"))).hasMessageStartingWith("command timed out");
  }
}
