package io.boxer.control;

/** Constants of the wire protocol that the seed and the nodes must agree on. */
public final class Protocol {
  /**
   * The version a node sends in {@code JoinRequest.protocol_version}; the seed refuses any other. 2: TLS
   * everywhere, the join token, heartbeats and failure reports on the Join stream.
   */
  public static final int VERSION = 2;

  private Protocol() {}
}
