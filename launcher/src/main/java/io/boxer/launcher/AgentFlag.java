package io.boxer.launcher;

/**
 * How the command's JVMs load the Boxer agent (JAVA_TOOL_OPTIONS). Both load the same agent through the same JVM
 * library (libinstrument); they differ in the module option the JVM adds, which decides whether CDS keeps its
 * archived module graph (docs/measurements.md, "Agent").
 */
public enum AgentFlag {
  /** {@code -javaagent:JAR}: works in every JVM; the JVM adds {@code --add-modules java.instrument}. */
  JAVAAGENT("javaagent") {
    @Override
    String option(String agentJar) {
      return "-javaagent:" + agentJar;
    }
  },
  /**
   * {@code -agentlib:instrument=JAR}: no module option, so the JVM starts tens of ms faster; a JVM whose module
   * graph lacks java.instrument (a {@code java -m} application that does not require it, JDK tools such as javac
   * or jcmd) aborts at start.
   */
  AGENTLIB("agentlib") {
    @Override
    String option(String agentJar) {
      return "-agentlib:instrument=" + agentJar;
    }
  };

  private final String value;

  AgentFlag(String value) {
    this.value = value;
  }

  /** The JVM option that loads {@code agentJar}. */
  abstract String option(String agentJar);

  /**
   * The form named {@code value} ({@code javaagent} or {@code agentlib}).
   *
   * @throws IllegalArgumentException naming {@code option}, the value and the expectation
   */
  public static AgentFlag parse(String option, String value) {
    for (AgentFlag flag : values()) {
      if (flag.value.equals(value)) {
        return flag;
      }
    }
    throw new IllegalArgumentException(option + " : '" + value + "' (expected: javaagent or agentlib)");
  }
}
