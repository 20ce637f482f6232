package io.boxer.deathstar.load;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * What the load generator sends. The single workloads send one {@link Operation}; {@code mix} draws each request:
 * 30% read-home-timeline, 30% read-user-timeline, 30% compose-post, 10% follow (reads dominate, as in
 * DeathStarBench's mixed workload, with follows added so every call path is exercised).
 */
public enum Workload {
  READ_USER_TIMELINE("read-user-timeline"),
  READ_HOME_TIMELINE("read-home-timeline"),
  COMPOSE_POST("compose-post"),
  FOLLOW("follow"),
  MIX("mix");

  private final String cliName;

  Workload(String cliName) {
    this.cliName = cliName;
  }

  /** The name on the command line and in result files. */
  public String cliName() {
    return cliName;
  }

  /** Whether timelines should hold posts before this workload is measured (it reads them). */
  public boolean reads() {
    return this == READ_USER_TIMELINE || this == READ_HOME_TIMELINE || this == MIX;
  }

  /** The operation of the next request. */
  public Operation next(RandomGenerator random) {
    return switch (this) {
      case READ_USER_TIMELINE -> Operation.READ_USER_TIMELINE;
      case READ_HOME_TIMELINE -> Operation.READ_HOME_TIMELINE;
      case COMPOSE_POST -> Operation.COMPOSE_POST;
      case FOLLOW -> Operation.FOLLOW;
      case MIX -> {
        int percent = random.nextInt(100);
        if (percent < 30) {
          yield Operation.READ_HOME_TIMELINE;
        } else if (percent < 60) {
          yield Operation.READ_USER_TIMELINE;
        } else if (percent < 90) {
          yield Operation.COMPOSE_POST;
        }
        yield Operation.FOLLOW;
      }
    };
  }

  /** @throws IllegalArgumentException naming the accepted workloads */
  public static Workload fromCliName(String name) {
    for (Workload w : values()) {
      if (w.cliName.equals(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload '" + name + "' (expected one of: "
        + Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
