package io.boxer.it;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A single-stage Dockerfile, parsed as Docker reads the instructions our images use: FROM, RUN, COPY, ENV, CMD
 * and ENTRYPOINT, with {@code \} line continuations, {@code #} comment lines (also inside a continued
 * instruction) and {@code $VAR} / {@code ${VAR}} in COPY and ENV arguments. Anything else is refused with the
 * line it is on, so an instruction this parser does not understand cannot pass a check unseen. There is no
 * Docker engine on the build machines; this is what lets a test check an image's files without one.
 *
 * @param from the base image
 * @param copies the COPY instructions, in file order, with variables expanded
 * @param env the ENV variables the file sets, in order (the base image's are not included)
 * @param runs the RUN commands, in file order, as written (their shell expands variables at build time)
 * @param cmd CMD in exec form; empty when there is none
 * @param entrypoint ENTRYPOINT in exec form; empty when there is none
 */
record Dockerfile(
    String from, List<Copy> copies, Map<String, String> env, List<String> runs, List<String> cmd,
    List<String> entrypoint) {
  private static final List<String> KNOWN = List.of("FROM", "RUN", "COPY", "ENV", "CMD", "ENTRYPOINT");
  private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

  /**
   * One COPY: its sources relative to the build context (they may be globs) and its destination in the image.
   *
   * @param line the line the instruction starts on
   */
  record Copy(int line, List<String> sources, String destination) {

    /**
     * The image path of every file this COPY writes, with the context file it comes from. A destination
     * ending in {@code /}, or one that takes several sources, is a directory: files keep their names there.
     *
     * @throws IllegalArgumentException naming the line and the source when a source matches no file
     */
    Map<String, Path> resolve(Path context) throws IOException {
      Map<String, Path> written = new LinkedHashMap<>();
      List<Path> files = new ArrayList<>();
      for (String source : sources) {
        List<Path> matched = match(context, source);
        if (matched.isEmpty()) {
          throw new IllegalArgumentException("line " + line + ": COPY source " + source + " matches no file under "
              + context + " (expected: the build output; build first: mvn -DskipTests package)");
        }
        files.addAll(matched);
      }
      boolean intoDirectory = destination.endsWith("/") || files.size() > 1;
      for (Path file : files) {
        String target = intoDirectory
            ? (destination.endsWith("/") ? destination : destination + "/") + file.getFileName()
            : destination;
        written.put(target, file);
      }
      return written;
    }

    private static List<Path> match(Path context, String source) throws IOException {
      if (source.startsWith("/") || source.contains("..")) {
        throw new IllegalArgumentException("COPY source " + source + " (expected: a path inside the build context)");
      }
      if (!source.matches(".*[*?\\[].*")) {
        Path file = context.resolve(source);
        if (Files.isDirectory(file)) {
          throw new IllegalArgumentException("COPY source " + source + " is a directory (expected: files)");
        }
        return Files.isRegularFile(file) ? List.of(file) : List.of();
      }
      // Docker's globs (Go's filepath.Match) and the JDK's agree on *, ? and [...] within one path segment
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + source);
      int depth = source.split("/").length;
      try (Stream<Path> walk = Files.walk(context, depth)) {
        return walk.filter(Files::isRegularFile).filter(p -> matcher.matches(context.relativize(p))).sorted().toList();
      }
    }
  }

  /** Reads and parses {@code file}; see {@link #parse}. */
  static Dockerfile read(Path file, Map<String, String> baseImageEnv) throws IOException {
    return parse(Files.readString(file), baseImageEnv);
  }

  /**
   * Parses a Dockerfile's text.
   *
   * @param baseImageEnv the environment the base image sets (its ENV), which COPY and ENV may refer to
   * @throws IllegalArgumentException naming the line for an unknown instruction, a missing or second FROM,
   *     a COPY with fewer than two arguments or a flag, CMD or ENTRYPOINT not in exec form, an undefined variable
   */
  static Dockerfile parse(String text, Map<String, String> baseImageEnv) {
    String from = null;
    List<Copy> copies = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> visible = new LinkedHashMap<>(baseImageEnv);
    List<String> cmd = List.of();
    List<String> entrypoint = List.of();
    for (Instruction instruction : instructions(text)) {
      int line = instruction.line();
      String keyword = instruction.keyword();
      if (!KNOWN.contains(keyword)) {
        throw new IllegalArgumentException("line " + line + ": unknown instruction " + keyword + " (expected: one of "
            + String.join(", ", KNOWN) + ")");
      }
      if (from == null && !keyword.equals("FROM")) {
        throw new IllegalArgumentException("line " + line + ": " + keyword + " before FROM (expected: FROM first)");
      }
      String arguments = instruction.arguments();
      switch (keyword) {
        case "FROM" -> {
          if (from != null) {
            throw new IllegalArgumentException("line " + line + ": a second FROM (expected: a single-stage build)");
          }
          from = words(line, arguments).get(0);
        }
        case "RUN" -> {
          if (arguments.isEmpty()) {
            throw new IllegalArgumentException("line " + line + ": RUN without a command");
          }
          runs.add(arguments);
        }
        case "COPY" -> copies.add(copy(line, arguments, visible));
        case "ENV" -> env(line, arguments, visible).forEach((name, value) -> {
          env.put(name, value);
          visible.put(name, value);
        });
        case "CMD" -> cmd = execForm(line, keyword, arguments);
        case "ENTRYPOINT" -> entrypoint = execForm(line, keyword, arguments);
        default -> throw new AssertionError(keyword);
      }
    }
    if (from == null) {
      throw new IllegalArgumentException("no FROM instruction (expected: FROM IMAGE first)");
    }
    return new Dockerfile(from, List.copyOf(copies), Map.copyOf(env), List.copyOf(runs), cmd, entrypoint);
  }

  /** Every file the image gets from the build context, by image path. */
  Map<String, Path> copiedFiles(Path context) throws IOException {
    Map<String, Path> files = new LinkedHashMap<>();
    for (Copy copy : copies) {
      files.putAll(copy.resolve(context));
    }
    return files;
  }

  private record Instruction(int line, String keyword, String arguments) {}

  /** Joins continued lines and drops comments and blank lines. */
  private static List<Instruction> instructions(String text) {
    List<Instruction> instructions = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    StringBuilder current = null;
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      String stripped = lines[i].strip();
      if (stripped.startsWith("#") || stripped.isEmpty()) {
        continue; // comments and blank lines, even between continued lines, are not part of the instruction
      }
      if (current == null) {
        current = new StringBuilder();
        start = i + 1;
      }
      boolean continues = stripped.endsWith("\\");
      current.append(continues ? stripped.substring(0, stripped.length() - 1) : stripped).append(' ');
      if (!continues) {
        instructions.add(instruction(start, current.toString().strip()));
        current = null;
      }
    }
    if (current != null) {
      throw new IllegalArgumentException("line " + start + ": the instruction's last line ends with \\ (expected: "
          + "a line that ends it)");
    }
    return instructions;
  }

  private static Instruction instruction(int line, String text) {
    int space = text.indexOf(' ');
    String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
    return new Instruction(line, keyword, space < 0 ? "" : text.substring(space + 1).strip());
  }

  private static Copy copy(int line, String arguments, Map<String, String> visible) {
    List<String> words = arguments.startsWith("[") ? execForm(line, "COPY", arguments) : words(line, arguments);
    for (String word : words) {
      if (word.startsWith("--")) {
        throw new IllegalArgumentException("line " + line + ": COPY flag " + word + " is not supported (expected: "
            + "COPY SOURCE... DESTINATION)");
      }
    }
    if (words.size() < 2) {
      throw new IllegalArgumentException("line " + line + ": COPY " + arguments + " (expected: COPY SOURCE... "
          + "DESTINATION)");
    }
    List<String> expanded = words.stream().map(word -> expand(line, word, visible)).toList();
    return new Copy(line, expanded.subList(0, expanded.size() - 1), expanded.get(expanded.size() - 1));
  }

  /** {@code ENV NAME=VALUE...} (values may be double-quoted) or the old {@code ENV NAME VALUE}. */
  private static Map<String, String> env(int line, String arguments, Map<String, String> visible) {
    Map<String, String> set = new LinkedHashMap<>();
    List<String> words = words(line, arguments);
    if (!words.get(0).contains("=")) {
      String value = arguments.substring(words.get(0).length()).strip();
      if (value.isEmpty()) {
        throw new IllegalArgumentException("line " + line + ": ENV " + arguments + " (expected: ENV NAME=VALUE)");
      }
      set.put(words.get(0), expand(line, value, visible));
      return set;
    }
    for (String word : words) {
      int equals = word.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("line " + line + ": ENV " + word + " (expected: NAME=VALUE)");
      }
      set.put(word.substring(0, equals), expand(line, word.substring(equals + 1), visible));
    }
    return set;
  }

  private static List<String> execForm(int line, String keyword, String arguments) {
    try {
      JsonElement parsed = JsonParser.parseString(arguments);
      if (parsed.isJsonArray() && !parsed.getAsJsonArray().isEmpty()) {
        List<String> words = new ArrayList<>();
        for (JsonElement element : (JsonArray) parsed) {
          if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw new JsonParseException("not a string: " + element);
          }
          words.add(element.getAsString());
        }
        return List.copyOf(words);
      }
    } catch (JsonParseException e) {
      // reported below, with the line
    }
    throw new IllegalArgumentException("line " + line + ": " + keyword + " " + arguments
        + " (expected: exec form, a JSON array of strings such as [\"Handler::handleRequest\"])");
  }

  /** Words separated by blanks; double quotes, anywhere in a word, keep blanks in it and are removed. */
  private static List<String> words(int line, String arguments) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    for (int i = 0; i < arguments.length(); i++) {
      char c = arguments.charAt(i);
      if (!quoted && Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      word = word == null ? new StringBuilder() : word;
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && quoted && i + 1 < arguments.length()) {
        word.append(arguments.charAt(++i));
      } else {
        word.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("line " + line + ": a double quote is not closed in " + arguments);
    }
    if (word != null) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("line " + line + ": an instruction without arguments");
    }
    return words;
  }

  private static String expand(int line, String word, Map<String, String> visible) {
    Matcher matcher = VARIABLE.matcher(word);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      String value = visible.get(name);
      if (value == null) {
        throw new IllegalArgumentException("line " + line + ": $" + name + " is not set (expected: an ENV above "
            + "or one of the base image's: " + visible.keySet() + ")");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
