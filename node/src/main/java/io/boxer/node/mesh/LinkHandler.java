package io.boxer.node.mesh;

import io.boxer.node.membership.Peer;
import io.boxer.proto.mesh.v1.Goodbye;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;

/**
 * What a node does with the requests and news its mesh links receive. Called on the link's transport thread:
 * implementations must not block (a prime is a few syscalls).
 */
public interface LinkHandler {
  /** Answers member {@code from}'s prime request. */
  PrimeResponse prime(Peer from, PrimeRequest request);

  /** Milliseconds since this node last heard from member {@code targetId}; {@code 0xFFFFFFFF} if never. */
  long silentMillis(long targetId);

  /** A member this node asked about {@code targetId} answered. */
  void onProbeResponse(long targetId, long silentMillis);

  /** Member {@code from} is closing the link, for {@code reason}. */
  void onGoodbye(Peer from, Goodbye.Reason reason);

  /** The link to {@code peer} closed (the peer left, failed, or the connection broke). */
  void onLinkClosed(MeshLink link);
}
