package io.boxer.node.agentlink;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.MembershipView;
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
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix domain socket the local agents talk to (protocol: boxer/agent/v1/agent.proto). One thread
 * accepts; each connection gets a thread from a pool this endpoint owns, and a watch connection a second one
 * that writes its views, so a stalled application never blocks the node. {@link #start()} creates the
 * socket file, {@link #close()} removes it.
 */
public final class AgentEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);
  private static final long ACCEPT_ERROR_PAUSE_MILLIS = 100;

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
    Thread acceptor = new Thread(this::acceptLoop, "boxer-agent-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
    log.info("Agent endpoint listening. path={}", path);
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (server.isOpen()) {
          log.warn("Agent endpoint accept failed. reason={}", e.toString());
          pause(); // e.g. out of file descriptors: do not spin
        }
        continue;
      }
      try {
        connections.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        closeQuietly(client); // closing down
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
        AgentPrimer.failed("malformed request: " + e.getMessage()).writeDelimitedTo(out);
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
          AgentPrimer.failed("unknown request " + request.getRequestCase()).writeDelimitedTo(out);
        }
      }
    } catch (IOException e) {
      log.debug("Agent connection ended. reason={}", e.toString());
    }
  }

  /**
   * Streams membership views until the agent disconnects. The membership listener only drops the newest
   * list in a mailbox; a writer task of this connection sends it, skipping lists that were overtaken. Reads
   * and writes go straight to the channel: the JDK 17 stream adapters share one lock between a blocked read
   * and a write.
   */
  private void watch(SocketChannel client) throws IOException {
    AtomicReference<List<Peer>> latest = new AtomicReference<>();
    Semaphore changed = new Semaphore(0);
    Consumer<List<Peer>> push = peers -> {
      latest.set(peers);
      changed.release();
    };
    Future<?> writer = connections.submit(() -> writeViews(client, latest, changed));
    membership.addListener(push);
    try {
      ByteBuffer sink = ByteBuffer.allocate(64);
      while (client.read(sink.clear()) >= 0) {
        // the agent sends nothing more; end of stream or an error means it is gone
      }
    } finally {
      membership.removeListener(push);
      writer.cancel(true);
    }
  }

  private void writeViews(SocketChannel client, AtomicReference<List<Peer>> latest, Semaphore changed) {
    try {
      while (true) {
        changed.acquire();
        changed.drainPermits();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        view(latest.get()).writeDelimitedTo(frame);
        ByteBuffer bytes = ByteBuffer.wrap(frame.toByteArray());
        while (bytes.hasRemaining()) {
          client.write(bytes);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the agent left
    } catch (IOException e) {
      log.debug("Agent watch write failed. reason={}", e.toString());
      closeQuietly(client); // wakes the reader, which unregisters the listener
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

  private static void pause() {
    try {
      Thread.sleep(ACCEPT_ERROR_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Closing an agent connection failed. reason={}", e.toString());
    }
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
