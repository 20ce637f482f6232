package io.boxer.launcher;

import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.StatusRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks the local node for its view over its agent socket (boxer/agent/v1/agent.proto: one status request, one
 * NodeStatus, then the node closes). The socket is the node's user's alone (mode 0600).
 */
final class NodeStatusClient {
  private NodeStatusClient() {}

  /** @throws IOException saying why there is no answer (no such socket, no node, no answer in time) */
  static NodeStatus ask(Path socket, Duration timeout) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // a blocking channel's read has no timeout: closing it from a timer ends the read
      AtomicBoolean expired = new AtomicBoolean();
      CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
        expired.set(true);
        try {
          channel.close();
        } catch (IOException e) {
          // the read fails either way
        }
      });
      NodeStatus status;
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        AgentRequest.newBuilder().setStatus(StatusRequest.getDefaultInstance()).build()
            .writeDelimitedTo(Channels.newOutputStream(channel));
        status = NodeStatus.parseDelimitedFrom(Channels.newInputStream(channel));
      } catch (IOException e) {
        if (expired.get()) {
          throw new IOException("the node at " + socket + " did not answer within " + timeout.toSeconds() + " s");
        }
        throw new IOException("cannot reach the node at " + socket + ": " + e.getMessage(), e);
      }
      if (status == null || !status.hasSelf()) {
        // an empty answer, or a PrimeReply{FAILED} parsed as a NodeStatus: a node that does not know the request
        throw new IOException("the node at " + socket + " did not answer the status request (is it an older boxer?)");
      }
      return status;
    }
  }
}
