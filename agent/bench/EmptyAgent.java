import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * An agent that does nothing: startup.sh's "empty" variant, the floor of any -javaagent (the JVM's own work for the
 * flag: the java.instrument module, the jar, and CDS's archived module graph turned off by the
 * --add-modules java.instrument that the JVM adds). With the argument {@code transformer} ("transformer" variant)
 * it registers one class transformer, retransform-capable as Boxer's, that changes nothing: what the JVM's
 * class-file-load hook costs on every class loaded after premain.
 */
public final class EmptyAgent {
  public static void premain(String args, Instrumentation inst) {
    if ("transformer".equals(args)) {
      inst.addTransformer(new ClassFileTransformer() {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
            ProtectionDomain domain, byte[] classfile) {
          return null;
        }
      }, true);
    }
  }
}
