package io.boxer.control;

import com.google.protobuf.ByteString;
import io.boxer.proto.v1.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Conversions between wire {@link Endpoint}s and JDK socket addresses, with validation of untrusted input. */
public final class Endpoints {
  private Endpoints() {}

  /** Encodes a resolved socket address; the address must not be unresolved. */
  public static Endpoint toProto(InetSocketAddress address) {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("address : " + address + " (expected: resolved)");
    }
    return Endpoint.newBuilder()
        .setIp(ByteString.copyFrom(address.getAddress().getAddress()))
        .setPort(address.getPort())
        .build();
  }

  /**
   * Decodes an endpoint received from the network.
   *
   * @throws IllegalArgumentException if the ip is not 4 or 16 bytes or the port is outside 1..65535
   */
  public static InetSocketAddress fromProto(Endpoint endpoint) {
    return new InetSocketAddress(ip(endpoint.getIp()), port("endpoint.port", endpoint.getPort()));
  }

  /** Decodes raw address bytes received from the network (4 or 16 bytes). */
  public static InetAddress ip(ByteString raw) {
    if (raw.size() != 4 && raw.size() != 16) {
      throw new IllegalArgumentException("ip : " + raw.size() + " bytes (expected: 4 or 16)");
    }
    try {
      return InetAddress.getByAddress(raw.toByteArray());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("ip : unparsable", e);
    }
  }

  /** Validates a TCP port received from the network or configuration. */
  public static int port(String name, long port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " : " + port + " (expected: 1..65535)");
    }
    return (int) port;
  }
}
