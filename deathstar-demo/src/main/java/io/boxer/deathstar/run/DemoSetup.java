package io.boxer.deathstar.run;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the demo's programs are: the Boxer checkout ({@code bin/boxer}, built), the demo jar, the services'
 * start script, and the java that runs the services and the load generator inside the lab.
 *
 * @param home the Boxer repository root
 * @param java the java executable used inside the lab
 */
public record DemoSetup(Path home, Path java) {

  /** The setup of the checkout this jar was built in ({@code HOME/deathstar-demo/target/deathstar-demo.jar}). */
  public static DemoSetup ofThisCheckout(Path javaOrNull) {
    Path jar;
    try {
      jar = Path.of(DemoSetup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException("cannot tell where deathstar-demo.jar is: " + e, e);
    }
    Path home = jar.toAbsolutePath().getParent().getParent().getParent();
    Path java = javaOrNull != null ? javaOrNull : Path.of(System.getProperty("java.home"), "bin", "java");
    return new DemoSetup(home, java);
  }

  public Path boxer() {
    return home.resolve("bin/boxer");
  }

  public Path jar() {
    return home.resolve("deathstar-demo/target/deathstar-demo.jar");
  }

  public Path startScript() {
    return home.resolve("deathstar-demo/bin/start-service");
  }

  /**
   * Checks that every program exists.
   *
   * @throws IllegalStateException naming the first missing one and how to get it
   */
  public void check() {
    for (Path p : new Path[] {boxer(), startScript(), java}) {
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(p + " is missing or not executable (expected in a Boxer checkout)");
      }
    }
    if (!Files.isRegularFile(jar()) || !Files.isRegularFile(home.resolve("agent/target/boxer-agent.jar"))) {
      throw new IllegalStateException(jar() + " or the Boxer agent jar is missing: build first with "
          + "`mvn -q -DskipTests package` in " + home);
    }
  }
}
