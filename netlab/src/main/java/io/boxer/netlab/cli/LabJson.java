package io.boxer.netlab.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.boxer.netlab.Lab;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.WanSpec;
import java.util.List;
import java.util.Locale;

/**
 * {@code lab up --json}: the lab as one JSON document, so that scripts and tests read data instead of parsing
 * the table:
 *
 * <pre>
 * {"runId": "b6cd", "profile": "lambda", "lossPercent": 0.0, "natEstablishedTimeoutSeconds": 0, "vmFirewall": "drop",
 *  "functionsPerNat": 1, "wan": {"rttMicros": 500, "jitterMicros": 0, "rateMbit": 620},
 *  "hosts": [{"name": "fn1", "kind": "function", "namespace": "boxer-b6cd-fn1", "address": "198.19.1.2",
 *             "externalAddress": "198.18.0.101", "natNamespace": "boxer-b6cd-nat1"}, ...]}
 * </pre>
 *
 * {@code natNamespace} is there for function hosts only (functions behind one router share it and its
 * {@code externalAddress}); {@code natEstablishedTimeoutSeconds} 0 means the kernel's default; {@code vmFirewall}
 * is {@code drop} (a default security group) or {@code none}; {@code functionsPerNat} is how many functions
 * share one router (1: each has its own); {@code wan} is the round trip added across the public segment, the
 * jitter of each one-way delay and every function's rate cap, 0 for none (docs/wan.md).
 */
final class LabJson {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private LabJson() {}

  record Host(String name, String kind, String namespace, String address, String externalAddress,
      String natNamespace) {
    static Host of(LabHost host) {
      return new Host(host.name(), host.kind().name().toLowerCase(Locale.ROOT), host.namespace(),
          host.address().getHostAddress(), host.externalAddress().getHostAddress(), host.natNamespace().orElse(null));
    }
  }

  record Wan(long rttMicros, long jitterMicros, int rateMbit) {
    static Wan of(WanSpec wan) {
      return new Wan(wan.rtt().toNanos() / 1000, wan.jitterMicros(), wan.rateMbit());
    }
  }

  record Document(String runId, String profile, double lossPercent, int natEstablishedTimeoutSeconds,
      String vmFirewall, int functionsPerNat, Wan wan, List<Host> hosts) {}

  static String render(Lab lab, LabSpec spec) {
    return GSON.toJson(new Document(lab.runId(), spec.profile().cliName(), spec.lossPercent(),
        spec.natEstablishedTimeoutSeconds(), spec.vmFirewall().cliName(), spec.functionsPerNat(),
        Wan.of(spec.wan()), lab.hosts().stream().map(Host::of).toList()));
  }
}
