package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabPreconditionsTest {
  @TempDir Path dir;

  private Path status(String uidLine) throws IOException {
    return Files.writeString(dir.resolve("status"), "Name:\tjava\n" + uidLine + "\nGid:\t0\t0\t0\t0\n");
  }

  private Path bin(String... tools) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String t : tools) {
      Path p = Files.writeString(bin.resolve(t), "#!/bin/sh\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return bin;
  }

  @Test
  void check_nonRoot_failsWithHowToFix() throws IOException {
    // real uid 0 but effective uid 1000: the effective one counts
    LabPreconditions pre = new LabPreconditions(status("Uid:\t0\t1000\t1000\t1000"), "", List.of());
    assertThatThrownBy(pre::check)
        .isInstanceOf(LabException.class)
        .hasMessage("the NAT lab needs root: run as root (it creates network namespaces)");
  }

  @Test
  void check_unreadableStatus_failsAsNotRoot() {
    LabPreconditions pre = new LabPreconditions(dir.resolve("missing"), "", List.of());
    assertThatThrownBy(pre::check).hasMessageStartingWith(LabPreconditions.NOT_ROOT);
  }

  @Test
  void check_missingTool_namesDebianPackage() throws IOException {
    Path bin = bin("ip", "iptables", "tc", "sysctl");
    LabPreconditions pre = new LabPreconditions(status("Uid:\t0\t0\t0\t0"), bin.toString(), List.of());
    assertThatThrownBy(pre::check)
        .isInstanceOf(LabException.class)
        .hasMessageContaining("'conntrack'")
        .hasMessageEndingWith("install it with `apt-get install conntrack`");
  }

  @Test
  void check_missingIp_namesIproute2() throws IOException {
    LabPreconditions pre = new LabPreconditions(status("Uid:\t0\t0\t0\t0"), "", List.of());
    assertThatThrownBy(pre::check).hasMessageEndingWith("`apt-get install iproute2`");
  }

  @Test
  void check_rootWithAllTools_returnsAbsolutePaths() throws IOException {
    Path bin = bin("ip", "iptables", "conntrack", "tc", "sysctl");
    // found through the extra directories even though PATH is empty, like /usr/sbin for root
    LabPreconditions pre = new LabPreconditions(status("Uid:\t0\t0\t0\t0"), "", List.of(bin));
    LabTools tools = pre.check();
    assertThat(tools.ip()).isEqualTo(bin.resolve("ip").toString());
    assertThat(tools.conntrack()).isEqualTo(bin.resolve("conntrack").toString());
  }

  @Test
  void find_skipsNonExecutableFiles() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("noexec"));
    Files.writeString(bin.resolve("ip"), "");
    LabPreconditions pre = new LabPreconditions(status("Uid:\t0\t0\t0\t0"), bin.toString(), List.of());
    assertThat(pre.find("ip")).isEmpty();
  }
}
