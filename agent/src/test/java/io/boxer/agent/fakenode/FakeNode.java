package io.boxer.agent.fakenode;

import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.boxer.proto.v1.Endpoint;
import io.boxer.proto.v1.PrimeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.InputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Boxer node as the agent sees it: a Unix domain socket server speaking agent.proto with the real generated
 * classes. Streams a configurable view to watchers and answers primes with a configurable reply (or not at
 * all), recording every prime. Also stands for the node's relay endpoint ({@link #relayEndpoint()}), a loopback
 * server that answers the first line of each connection. Threads: one accept thread per server plus one per
 * connection, all daemons.
 */
public final class FakeNode implements AutoCloseable {

  private final Path socket;
  private final List<Prime> primes = new CopyOnWriteArrayList<>();
  private final List<SocketChannel> watchers = new CopyOnWriteArrayList<>();
  private final List<SocketChannel> channels = new CopyOnWriteArrayList<>(); // open prime channels
  private final AtomicInteger watchRequests = new AtomicInteger();
  private final AtomicInteger primeConnections = new AtomicInteger();
  private volatile MembershipView view = MembershipView.getDefaultInstance();
  private volatile Function<Prime, PrimeReply> replies = prime -> null;
  private volatile boolean silent;
  private volatile boolean sendViewOnWatch = true;
  private ServerSocketChannel server;
  private ServerSocketChannel relay;
  private final List<String> relayedLines = new CopyOnWriteArrayList<>();

  public FakeNode(Path socket) {
    this.socket = socket;
  }

  public Path socket() {
    return socket;
  }

  public FakeNode start() throws IOException {
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    daemon("fake-node-accept", () -> acceptLoop(server, "fake-node-conn", this::serve));
    relay = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    daemon("fake-node-relay-accept", () -> acceptLoop(relay, "fake-node-relay", this::answerRelayed));
    return this;
  }

  /**
   * The loopback endpoint that stands for this node's relay endpoint (what a USE_RELAY reply names): it reads
   * the first line of each connection ({@link #relayedLines()}) and answers {@code "relayed:" + line}.
   */
  public InetSocketAddress relayEndpoint() {
    return (InetSocketAddress) relay.socket().getLocalSocketAddress();
  }

  /** The first line of each connection to {@link #relayEndpoint()}, in arrival order. */
  public List<String> relayedLines() {
    return List.copyOf(relayedLines);
  }

  /** The view sent to new watchers, and now to connected ones. */
  public void setView(MembershipView newView) {
    view = newView;
    for (SocketChannel w : watchers) {
      send(w, newView);
    }
  }

  /** Whether a new watcher gets the current view at once (default) or only on the next {@link #setView}. */
  public void setSendViewOnWatch(boolean send) {
    sendViewOnWatch = send;
  }

  public void setReply(PrimeReply newReply) {
    setReplies(prime -> newReply);
  }

  /** Answers each prime with what {@code newReplies} makes of it (e.g. by the member port asked for). */
  public void setReplies(Function<Prime, PrimeReply> newReplies) {
    replies = newReplies;
    silent = false;
  }

  /**
   * The USE_RELAY reply a node gives when only its relay reaches the member: connect to {@code endpoint} (in a
   * test, a server socket on loopback that stands for the node's relay endpoint) instead of the member.
   */
  public static PrimeReply useRelay(InetSocketAddress endpoint) {
    return PrimeReply.newBuilder().setResult(PrimeResult.USE_RELAY)
        .setRelay(Endpoint.newBuilder().setIp(ByteString.copyFrom(endpoint.getAddress().getAddress()))
            .setPort(endpoint.getPort()))
        .build();
  }

  /** Accept prime requests but never answer them. */
  public void setSilent() {
    silent = true;
  }

  public List<Prime> primes() {
    return List.copyOf(primes);
  }

  /** How many prime channels (persistent prime connections) agents opened. */
  public int primeConnections() {
    return primeConnections.get();
  }

  public int watchRequests() {
    return watchRequests.get();
  }

  /** Closes all watch connections (as a restarting node would). */
  public void dropWatchers() throws IOException {
    for (SocketChannel w : watchers) {
      w.close();
    }
    watchers.clear();
  }

  /** Serves each connection {@code from} accepts on a thread of its own, until it is closed. */
  private static void acceptLoop(ServerSocketChannel from, String connectionThread, Consumer<SocketChannel> serve) {
    try {
      while (true) {
        SocketChannel ch = from.accept();
        daemon(connectionThread, () -> serve.accept(ch));
      }
    } catch (IOException closed) {
      // server closed
    }
  }

  private void answerRelayed(SocketChannel peer) {
    try (peer) {
      BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(peer),
          StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line != null) {
        relayedLines.add(line);
        write(peer, ("relayed:" + line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private void serve(SocketChannel ch) {
    try {
      InputStream in = Channels.newInputStream(ch);
      AgentRequest request = AgentRequest.parseDelimitedFrom(in);
      if (request == null) {
        ch.close();
        return;
      }
      if (request.hasWatch()) {
        watchRequests.incrementAndGet();
        watchers.add(ch);
        if (sendViewOnWatch) {
          send(ch, view);
        }
        drain(ch); // keep the stream open until the agent closes it
        watchers.remove(ch);
        ch.close();
      } else if (request.hasPrime() && request.getPrime().getRequestId() != 0) {
        serveChannel(ch, in, request);
      } else if (request.hasPrime()) {
        primes.add(request.getPrime());
        if (silent) {
          drain(ch); // never answer
        } else {
          write(ch, replies.apply(request.getPrime()));
        }
        ch.close();
      } else {
        ch.close();
      }
    } catch (IOException e) {
      // the agent went away
    }
  }

  /** A prime channel: every prime on it answered (unless silent) with its request id, until the agent leaves. */
  private void serveChannel(SocketChannel ch, InputStream in, AgentRequest first) throws IOException {
    channels.add(ch);
    primeConnections.incrementAndGet();
    try {
      for (AgentRequest request = first; request != null; request = AgentRequest.parseDelimitedFrom(in)) {
        Prime prime = request.getPrime();
        primes.add(prime);
        PrimeReply reply = silent ? null : replies.apply(prime);
        if (reply != null) { // as on a one-exchange connection: no reply configured, no answer
          synchronized (ch) {
            write(ch, reply.toBuilder().setRequestId(prime.getRequestId()).build());
          }
        }
      }
    } finally {
      channels.remove(ch);
      ch.close();
    }
  }

  private static void send(SocketChannel ch, MembershipView v) {
    try {
      synchronized (ch) {
        write(ch, v);
      }
    } catch (IOException e) {
      // watcher gone
    }
  }

  /** Writes without Channels.newOutputStream, whose lock a concurrent blocking read would hold. */
  private static void write(SocketChannel ch, MessageLite message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    message.writeDelimitedTo(bytes);
    write(ch, bytes.toByteArray());
  }

  private static void write(SocketChannel ch, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  private static void drain(SocketChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(256);
    while (ch.read(buf) >= 0) {
      buf.clear();
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.close();
    }
    if (relay != null) {
      relay.close();
    }
    dropWatchers();
    for (SocketChannel c : channels) { // a node that is gone: its agents' prime channels end too
      c.close();
    }
    Files.deleteIfExists(socket);
  }
}
