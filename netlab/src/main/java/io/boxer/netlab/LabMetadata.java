package io.boxer.netlab;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The metadata file of each lab, {@code /run/boxer-lab/<runid>.properties}, holding its {@link LabSpec} so
 * {@code attach} and {@code list} can show the profile and loss (namespace names only give the counts), and
 * {@code attach} knows which router each function sits behind. Beside it live the WAN delayer's status and
 * output files ({@link #wanStatusFile}, {@link #wanLogFile}), deleted with it.
 *
 * <p>Creating the file with CREATE_NEW is also how a run id is claimed: it is atomic, so two JVMs never
 * build the same run id. {@code /run} is tmpfs, so files vanish on reboot, just like the namespaces.
 * Thread-safe (stateless apart from the directory).
 */
final class LabMetadata {
  static final Path DEFAULT_DIR = Path.of("/run/boxer-lab");

  private final Path dir;

  LabMetadata(Path dir) {
    this.dir = dir;
  }

  Path file(String runId) {
    return dir.resolve(LabNames.checkRunId(runId) + ".properties");
  }

  /** Writes the spec of {@code runId}; false if a file for that run id already exists (id taken). */
  boolean claim(String runId, LabSpec spec) {
    Properties p = new Properties();
    p.setProperty("runId", runId);
    p.setProperty("functions", Integer.toString(spec.functions()));
    p.setProperty("vms", Integer.toString(spec.vms()));
    p.setProperty("profile", spec.profile().cliName());
    p.setProperty("lossPercent", Double.toString(spec.lossPercent()));
    p.setProperty("natEstablishedTimeoutSeconds", Integer.toString(spec.natEstablishedTimeoutSeconds()));
    p.setProperty("vmFirewall", spec.vmFirewall().cliName());
    p.setProperty("functionsPerNat", Integer.toString(spec.functionsPerNat()));
    p.setProperty("wanRttMicros", Long.toString(spec.wan().rtt().toNanos() / 1000));
    p.setProperty("wanJitterMicros", Long.toString(spec.wan().jitterMicros()));
    p.setProperty("wanRateMbit", Integer.toString(spec.wan().rateMbit()));
    p.setProperty("created", Instant.now().toString());
    try {
      Files.createDirectories(dir);
      try (Writer w =
          Files.newBufferedWriter(
              file(runId), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE)) {
        p.store(w, "boxer NAT lab " + runId);
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new LabException("cannot write lab metadata " + file(runId) + ": " + e.getMessage(), e);
    }
  }

  /** The stored spec; empty if there is no file or it cannot be read as a valid spec. */
  Optional<LabSpec> read(String runId) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file(runId), StandardCharsets.UTF_8)) {
      p.load(r);
      return Optional.of(
          new LabSpec(
              Integer.parseInt(p.getProperty("functions", "")),
              Integer.parseInt(p.getProperty("vms", "")),
              NatProfile.parse(p.getProperty("profile")),
              Double.parseDouble(p.getProperty("lossPercent", "")),
              // files written before these keys existed: the defaults they were built with
              Integer.parseInt(p.getProperty("natEstablishedTimeoutSeconds", "0")),
              VmFirewall.parse(p.getProperty("vmFirewall", VmFirewall.DROP.cliName())),
              Integer.parseInt(p.getProperty("functionsPerNat", "1")),
              new WanSpec(
                  Duration.ofNanos(1000 * Long.parseLong(p.getProperty("wanRttMicros", "0"))),
                  Duration.ofNanos(1000 * Long.parseLong(p.getProperty("wanJitterMicros", "0"))),
                  Integer.parseInt(p.getProperty("wanRateMbit", "0")))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      // A damaged file must not make the lab impossible to list or destroy.
      return Optional.empty();
    }
  }

  /** Where lab {@code runId}'s WAN delayer writes its status ({@code io.boxer.netlab.wan.WanDelayer}). */
  Path wanStatusFile(String runId) {
    return dir.resolve(LabNames.checkRunId(runId) + ".wan.json");
  }

  /** Where lab {@code runId}'s WAN delayer's output goes. */
  Path wanLogFile(String runId) {
    return dir.resolve(LabNames.checkRunId(runId) + ".wan.log");
  }

  /** Deletes the lab's metadata file and its delayer's files, if any. */
  void delete(String runId) {
    try {
      Files.deleteIfExists(wanStatusFile(runId));
      Files.deleteIfExists(wanLogFile(runId));
      Files.deleteIfExists(file(runId));
    } catch (IOException e) {
      throw new LabException("cannot delete lab metadata " + file(runId) + ": " + e.getMessage(), e);
    }
  }

  boolean exists(String runId) {
    return Files.exists(file(runId));
  }
}
