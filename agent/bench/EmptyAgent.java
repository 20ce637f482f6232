import java.lang.instrument.Instrumentation;

/**
 * An agent that does nothing: startup.sh's "empty" variant, the floor of any -javaagent (the JVM's own work for the
 * flag: the java.instrument module, the jar, and CDS's archived module graph turned off by the
 * --add-modules java.instrument that the JVM adds).
 */
public final class EmptyAgent {
  public static void premain(String args, Instrumentation inst) {}
}
