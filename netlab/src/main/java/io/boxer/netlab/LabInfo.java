package io.boxer.netlab;

import java.util.List;
import java.util.Optional;

/**
 * A summary of one running lab as seen by {@link Labs#list()}. Immutable.
 *
 * @param runId the lab's run id
 * @param namespaces its namespaces, sorted by name
 * @param spec its spec from the metadata file; empty if the file is missing or unreadable
 */
public record LabInfo(String runId, List<String> namespaces, Optional<LabSpec> spec) {
  /** Copies {@code namespaces}. */
  public LabInfo {
    namespaces = List.copyOf(namespaces);
  }
}
