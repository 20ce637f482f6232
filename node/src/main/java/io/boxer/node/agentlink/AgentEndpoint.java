package io.boxer.node.agentlink;

import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix domain socket the local agents talk to (protocol: boxer/agent/v1/agent.proto). One thread
 * accepts; each connection gets a thread from a pool this endpoint owns. {@link #start()} creates the
 * socket file, {@link #close()} removes it.
 */
public final class AgentEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);
  private final Path path;
  private final Membership membership;
  private final Supplier<Peer> self;
  private final AgentPrimer primer;
  private final AtomicInteger threadCount = new AtomicInteger();
  private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "boxer-agent-conn-" + threadCount.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  private ServerSocketChannel server;
  private Thread acceptor;

  public AgentEndpoint(Path path, Membership membership, Supplier<Peer> self, AgentPrimer primer) {
    this.path = path;
    this.membership = membership;
    this.self = self;
    this.primer = primer;
  }

  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("agent endpoint already started");
    }
    Files.deleteIfExists(path); // a stale file from a killed node would make bind fail
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    acceptor = new Thread(this::acceptLoop, "boxer-agent-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
    log.info("Agent endpoint listening. path={}", path);
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        connections.execute(() -> serve(client));
      } catch (IOException e) {
        if (server.isOpen()) {
          log.warn("Agent endpoint accept failed. reason={}", e.toString());
        }
      }
    }
  }

  private void serve(SocketChannel client) {
    try (client) {
      InputStream in = Channels.newInputStream(client);
      OutputStream out = Channels.newOutputStream(client);
      AgentRequest request;
      try {
        request = AgentRequest.parseDelimitedFrom(in);
      } catch (InvalidProtocolBufferException e) {
        log.warn("Rejected malformed agent request. reason={}", e.getMessage());
        failed("malformed request: " + e.getMessage()).writeDelimitedTo(out);
        return;
      }
      if (request == null) {
        return; // closed without a request
      }
      switch (request.getRequestCase()) {
        case WATCH -> watch(client);
        case PRIME -> primer.prime(request.getPrime()).join().writeDelimitedTo(out);
        default -> {
          log.warn("Rejected unknown agent request. request={}", request.getRequestCase());
          failed("unknown request " + request.getRequestCase()).writeDelimitedTo(out);
        }
      }
    } catch (IOException e) {
      log.debug("Agent connection ended. reason={}", e.toString());
    }
  }

  /**
   * Streams membership views until the agent disconnects. Reads and writes go straight to the channel: the
   * JDK 17 stream adapters share one lock between a blocked read and a write.
   */
  private void watch(SocketChannel client) throws IOException {
    Consumer<List<Peer>> push = peers -> {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      try {
        view(peers).writeDelimitedTo(frame);
        ByteBuffer bytes = ByteBuffer.wrap(frame.toByteArray());
        synchronized (client) {
          while (bytes.hasRemaining()) {
            client.write(bytes);
          }
        }
      } catch (IOException e) {
        log.debug("Agent watch write failed. reason={}", e.toString());
      }
    };
    membership.addListener(push);
    try {
      ByteBuffer sink = ByteBuffer.allocate(64);
      while (client.read(sink.clear()) >= 0) {
        // the agent sends nothing more; end of stream or an error means it is gone
      }
    } finally {
      membership.removeListener(push);
    }
  }

  private MembershipView view(List<Peer> peers) {
    Peer me = self.get();
    MembershipView.Builder view = MembershipView.newBuilder()
        .setOwnIp(ByteString.copyFrom(me.externalIp().getAddress()));
    peers.stream()
        .filter(p -> p.id() != me.id())
        .forEach(p -> view.addMemberIps(ByteString.copyFrom(p.externalIp().getAddress())));
    return view.build();
  }

  private static PrimeReply failed(String detail) {
    return PrimeReply.newBuilder().setResult(PrimeResult.FAILED).setDetail(detail).build();
  }

  @Override
  public synchronized void close() throws IOException, InterruptedException {
    if (server == null) {
      return;
    }
    server.close();
    connections.shutdownNow();
    connections.awaitTermination(2, TimeUnit.SECONDS);
    Files.deleteIfExists(path);
  }
}
