package io.boxer.deathstar.cli;

import io.boxer.deathstar.app.Role;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A role name such as {@code compose-post}; an unknown one is a usage error listing the roles. */
final class RoleConverter implements ITypeConverter<Role> {
  @Override
  public Role convert(String value) {
    try {
      return Role.fromConfigName(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
