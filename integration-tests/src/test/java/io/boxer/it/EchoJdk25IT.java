package io.boxer.it;

import java.nio.file.Path;

/** {@link EchoBehaviour} with the example programs on JDK 25. */
class EchoJdk25IT extends EchoBehaviour {
  @Override
  Path appJava() {
    return Path.of(System.getProperty("boxer.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
  }
}
