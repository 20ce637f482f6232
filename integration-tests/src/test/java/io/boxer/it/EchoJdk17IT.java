package io.boxer.it;

import java.nio.file.Path;

/** {@link EchoBehaviour} with the example programs on JDK 17. */
class EchoJdk17IT extends EchoBehaviour {
  @Override
  Path appJava() {
    return Path.of(System.getProperty("boxer.jdk17.java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"));
  }
}
