package io.boxer.deathstar.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code key=value} files that {@code bin/start-service} renders. Stricter than {@link java.util.Properties}:
 * a line without {@code =} or a key given twice is an error, so a broken render cannot go unnoticed. Blank lines
 * and lines starting with {@code #} are skipped; keys and values are trimmed.
 */
public final class ConfigFile {
  private ConfigFile() {}

  /**
   * Reads {@code path}.
   *
   * @throws ConfigException if the file cannot be read or a line is malformed (naming the file and line)
   */
  public static Map<String, String> read(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + path + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
    }
    return parse(path.toString(), lines);
  }

  /** Parses the lines of a config file; {@code source} names it in error messages. */
  public static Map<String, String> parse(String source, List<String> lines) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String where = source + ": line " + (i + 1);
      if (eq <= 0) {
        throw new ConfigException(where + ": '" + line + "' (expected: key=value)");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (values.putIfAbsent(key, value) != null) {
        throw new ConfigException(where + ": key " + key + " is given twice");
      }
    }
    return values;
  }
}
