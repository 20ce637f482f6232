package io.boxer.seed;

import io.boxer.control.Roles;
import io.boxer.proto.v1.ConnectionPolicy;
import io.boxer.proto.v1.PolicyRule;
import io.boxer.proto.v1.PortRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the connection policy a seed is given ({@code boxer seed --policy FILE}): which roles may connect to
 * which roles and ports. One rule per line, {@code #} starts a comment:
 *
 * <pre>
 *   # FROM-ROLE -> TO-ROLE : PORTS
 *   frontend -> logic : 9001-9008
 *   logic    -> logic : 9001-9008, 7000
 *   *        -> cache : 6379
 *   admin    -> *              # every port
 * </pre>
 *
 * With a policy, a connect is allowed only if some rule matches the client's role, the server's role and the
 * port; anything else is refused as if nothing listened. Pure: parsing only.
 */
public final class PolicyFile {
  /** More rules than this is surely a mistake (and the policy travels in every welcome). */
  static final int MAX_RULES = 1000;
  private static final Pattern RULE = Pattern.compile("\\s*(\\S+)\\s*->\\s*([^\\s:]+)\\s*(?::\\s*(.*?))?\\s*");

  private PolicyFile() {}

  /** @throws IllegalArgumentException naming the file, the line and what is wrong */
  public static ConnectionPolicy read(Path file) throws IOException {
    return parse(file.toString(), Files.readAllLines(file));
  }

  /** @throws IllegalArgumentException naming {@code source}, the line and what is wrong */
  static ConnectionPolicy parse(String source, List<String> lines) {
    ConnectionPolicy.Builder policy = ConnectionPolicy.newBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (text.isEmpty()) {
        continue;
      }
      String where = source + ":" + (i + 1) + ": ";
      Matcher m = RULE.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(where + "'" + text + "' (expected: FROM-ROLE -> TO-ROLE [: PORTS])");
      }
      PolicyRule.Builder rule = PolicyRule.newBuilder()
          .setFromRole(role(where, m.group(1)))
          .setToRole(role(where, m.group(2)));
      String ports = m.group(3);
      if (ports != null && !ports.isEmpty() && !ports.equals("*")) {
        for (String part : ports.split(",")) {
          rule.addPorts(range(where, part.strip()));
        }
      }
      if (policy.getRulesCount() == MAX_RULES) {
        throw new IllegalArgumentException(where + "more than " + MAX_RULES + " rules");
      }
      policy.addRules(rule);
    }
    if (policy.getRulesCount() == 0) {
      throw new IllegalArgumentException(source + ": no rules (expected: at least one FROM-ROLE -> TO-ROLE line;"
          + " without --policy every member may connect to every member)");
    }
    return policy.build();
  }

  private static String role(String where, String role) {
    if (role.equals(Roles.ANY)) {
      return role;
    }
    if (!Roles.isValid(role)) {
      throw new IllegalArgumentException(where + "role '" + role
          + "' (expected: * or 1..63 characters of a-z 0-9 . _ -, starting with a letter or digit)");
    }
    return role;
  }

  private static PortRange range(String where, String text) {
    String[] bounds = text.split("-", -1);
    if (bounds.length > 2) {
      throw new IllegalArgumentException(where + "ports '" + text + "' (expected: PORT or FIRST-LAST)");
    }
    int first = port(where, bounds[0].strip());
    int last = bounds.length == 2 ? port(where, bounds[1].strip()) : first;
    if (first > last) {
      throw new IllegalArgumentException(where + "ports '" + text + "' (expected: FIRST <= LAST)");
    }
    return PortRange.newBuilder().setFirst(first).setLast(last).build();
  }

  private static int port(String where, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new IllegalArgumentException(where + "port '" + text + "' (expected: 1..65535)");
  }
}
