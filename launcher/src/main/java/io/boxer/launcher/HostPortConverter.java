package io.boxer.launcher;

import io.boxer.hostport.HostPort;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code HOST:PORT} (see {@link HostPort}) into an unresolved address; bad input is a
 * usage error.
 */
public final class HostPortConverter implements ITypeConverter<InetSocketAddress> {
  @Override
  public InetSocketAddress convert(String value) {
    try {
      return HostPort.parse(value).unresolved();
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
