package io.boxer.agent.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The class list a CDS archive for agent JVMs is dumped from: the JDK's default list ({@code lib/classlist}, what
 * the JDK's own archive holds, so that an application loses nothing against it) followed by what a run with the
 * agent loaded beyond it ({@code -XX:DumpLoadedClassList}). Left out of the run's list: the agent's own classes
 * (they come from its jar, appended to the class path by the JVM, which the archive cannot cover), classes of
 * other class loaders ({@code source:} lines) and the run's numeric ids, which only those lines need.
 */
final class ClassListMerge {
  private static final String AGENT_PACKAGE = "io/boxer/";

  private ClassListMerge() {}

  /** The merged list, one entry per line: the default list's entries as they are, then the run's new ones. */
  static List<String> merge(List<String> jdkDefault, List<String> run) {
    List<String> merged = new ArrayList<>(jdkDefault.size() + run.size());
    Set<String> classes = new HashSet<>();
    Set<String> directives = new HashSet<>();
    for (String line : jdkDefault) {
      String entry = line.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      if (entry.startsWith("@")) {
        directives.add(entry);
      } else {
        classes.add(className(entry));
      }
      merged.add(entry);
    }
    List<String> newDirectives = new ArrayList<>();
    for (String line : run) {
      String entry = line.strip();
      if (entry.isEmpty() || entry.startsWith("#") || entry.contains(AGENT_PACKAGE)) {
        continue;
      }
      if (entry.startsWith("@")) {
        if (directives.add(entry)) {
          newDirectives.add(entry); // after every class, which they name
        }
      } else if (!entry.contains(" source:")) {
        String name = className(entry);
        if (classes.add(name)) {
          merged.add(name);
        }
      }
    }
    merged.addAll(newDirectives);
    return merged;
  }

  private static String className(String entry) {
    int space = entry.indexOf(' ');
    return space < 0 ? entry : entry.substring(0, space);
  }
}
