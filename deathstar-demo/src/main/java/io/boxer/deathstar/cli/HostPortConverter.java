package io.boxer.deathstar.cli;

import io.boxer.hostport.HostPort;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code HOST:PORT} flags; a bad value is a usage error. */
final class HostPortConverter implements ITypeConverter<HostPort> {
  @Override
  public HostPort convert(String value) {
    try {
      return HostPort.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
