package io.boxer.launcher;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code HOST:PORT} (see {@link io.boxer.hostport.HostPort}) into an unresolved address; bad input is a
 * usage error.
 */
public final class HostPort implements ITypeConverter<InetSocketAddress> {
  @Override
  public InetSocketAddress convert(String value) {
    try {
      return io.boxer.hostport.HostPort.parse(value).unresolved();
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
