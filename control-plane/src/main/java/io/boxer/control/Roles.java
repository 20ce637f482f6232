package io.boxer.control;

import java.util.regex.Pattern;

/** Member roles ({@code boxer run --role}), as the connection policy names them. */
public final class Roles {
  /** The role of a member started without {@code --role}. */
  public static final String DEFAULT = "member";
  /** In a policy rule: any role. */
  public static final String ANY = "*";

  private static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private Roles() {}

  /** Whether {@code role} is a valid role name: 1..63 of [a-z0-9._-], starting with a letter or digit. */
  public static boolean isValid(String role) {
    return role != null && ROLE.matcher(role).matches();
  }

  /**
   * Validates a role from the command line, a policy file or the network.
   *
   * @param name what to call it in the message, e.g. {@code --role}
   * @throws IllegalArgumentException naming the value and the expectation
   */
  public static String validate(String name, String role) {
    if (!isValid(role)) {
      throw new IllegalArgumentException(name + " : '" + role
          + "' (expected: 1..63 characters of a-z 0-9 . _ -, starting with a letter or digit)");
    }
    return role;
  }
}
