package io.boxer.netlab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds and destroys labs by their namespaces, whichever process created them. A lab is the group of
 * namespaces named {@code boxer-<runid>-*} (see {@link LabNames}); nothing else is ever touched.
 * Stateless and thread-safe.
 */
public final class Labs {
  private Labs() {}

  /** Running labs sorted by run id. Reading namespace names needs no root; only the tools. */
  public static List<LabInfo> list() {
    LabPreconditions pre = LabPreconditions.ofThisProcess();
    String ip = pre.find("ip").map(Object::toString).orElse("ip");
    LabTools tools = new LabTools(ip, "iptables", "conntrack", "tc", "sysctl");
    return list(new Namespaces(new CommandRunner(), tools), new LabMetadata(LabMetadata.DEFAULT_DIR));
  }

  static List<LabInfo> list(Namespaces namespaces, LabMetadata metadata) {
    Map<String, List<String>> byRun = new TreeMap<>();
    for (String ns : namespaces.list()) {
      LabNames.parse(ns)
          .ifPresent(p -> byRun.computeIfAbsent(p.runId(), k -> new ArrayList<>()).add(ns));
    }
    List<LabInfo> labs = new ArrayList<>();
    byRun.forEach((runId, nss) -> {
      nss.sort(null);
      labs.add(new LabInfo(runId, nss, metadata.read(runId)));
    });
    return labs;
  }

  /**
   * Destroys lab {@code runId}: deletes its namespaces and metadata file.
   *
   * @return false if no namespace of that lab existed (a stale metadata file is removed anyway)
   * @throws IllegalArgumentException if the run id is malformed
   * @throws LabException if a precondition fails or a namespace cannot be deleted
   */
  public static boolean destroy(String runId) {
    LabNames.checkRunId(runId);
    LabTools tools = LabPreconditions.checkThisProcess();
    Namespaces namespaces = new Namespaces(new CommandRunner(), tools);
    LabMetadata metadata = new LabMetadata(LabMetadata.DEFAULT_DIR);
    if (Lab.members(runId, namespaces.list()).isEmpty()) {
      metadata.delete(runId);
      return false;
    }
    Lab.attach(runId, tools, namespaces, metadata).close();
    return true;
  }

  /**
   * Destroys every lab on this machine, including other processes' labs.
   *
   * @return the run ids destroyed
   */
  public static List<String> destroyAll() {
    List<String> destroyed = new ArrayList<>();
    for (LabInfo lab : list()) {
      if (destroy(lab.runId())) {
        destroyed.add(lab.runId());
      }
    }
    return destroyed;
  }
}
