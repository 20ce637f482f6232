package io.boxer.netlab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks what the lab needs before anything touches the system: root (effective uid 0) and the tools
 * {@code ip}, {@code iptables}, {@code conntrack}, {@code tc} and {@code sysctl}. Tools are looked up on
 * {@code PATH} and also in {@code /usr/sbin} and {@code /sbin}, because root's non-login shells often lack
 * them on PATH.
 *
 * <p>Immutable and thread-safe. The constructor takes its inputs (status file, PATH, extra directories) so
 * tests can exercise every failure without being non-root.
 */
public final class LabPreconditions {
  static final String NOT_ROOT =
      "the NAT lab needs root: run as root (it creates network namespaces)";

  private static final List<Path> EXTRA_DIRS =
      List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"), Path.of("/bin"));

  private final Path procStatus;
  private final String pathVariable;
  private final List<Path> extraDirs;

  LabPreconditions(Path procStatus, String pathVariable, List<Path> extraDirs) {
    this.procStatus = procStatus;
    this.pathVariable = pathVariable == null ? "" : pathVariable;
    this.extraDirs = List.copyOf(extraDirs);
  }

  /** Preconditions of this process: {@code /proc/self/status}, {@code $PATH}, {@code /usr/sbin}, {@code /sbin}. */
  public static LabPreconditions ofThisProcess() {
    return new LabPreconditions(Path.of("/proc/self/status"), System.getenv("PATH"), EXTRA_DIRS);
  }

  /**
   * Checks root first, then every tool, and returns the tools' absolute paths.
   *
   * @throws LabException saying what is missing and what to do about it
   */
  public LabTools check() {
    checkRoot();
    return new LabTools(
        require("ip", "iproute2"),
        require("iptables", "iptables"),
        require("conntrack", "conntrack"),
        require("tc", "iproute2"),
        require("sysctl", "procps"));
  }

  /** Shortcut for {@code ofThisProcess().check()}. */
  public static LabTools checkThisProcess() {
    return ofThisProcess().check();
  }

  void checkRoot() {
    OptionalLong euid = effectiveUid();
    if (euid.value != 0) {
      throw new LabException(NOT_ROOT + euid.detail);
    }
  }

  /** Absolute path of an executable named {@code tool}, if found. */
  Optional<Path> find(String tool) {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String d : pathVariable.split(File.pathSeparator)) {
      if (!d.isBlank()) {
        dirs.add(Path.of(d));
      }
    }
    dirs.addAll(extraDirs);
    for (Path d : dirs) {
      Path p = d.resolve(tool);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  private String require(String tool, String debianPackage) {
    return find(tool)
        .map(Path::toString)
        .orElseThrow(
            () ->
                new LabException(
                    "the NAT lab needs '" + tool + "', not found on PATH or in " + extraDirs
                        + ": install it with `apt-get install " + debianPackage + "`"));
  }

  /** The effective uid from the {@code Uid:} line (real, effective, saved, fs); -1 if unreadable. */
  private OptionalLong effectiveUid() {
    List<String> lines;
    try {
      lines = Files.readAllLines(procStatus);
    } catch (IOException e) {
      return new OptionalLong(-1, " (cannot read " + procStatus + ": " + e.getMessage() + ")");
    }
    for (String line : lines) {
      if (line.startsWith("Uid:")) {
        String[] f = line.substring(4).trim().split("\\s+");
        if (f.length >= 2) {
          try {
            return new OptionalLong(Long.parseLong(f[1]), "");
          } catch (NumberFormatException e) {
            break;
          }
        }
      }
    }
    return new OptionalLong(-1, " (no parsable Uid: line in " + procStatus + ")");
  }

  /** A uid plus a detail for the error message when it could not be read. */
  private record OptionalLong(long value, String detail) {}
}
