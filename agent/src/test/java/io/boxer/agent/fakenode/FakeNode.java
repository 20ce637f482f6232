package io.boxer.agent.fakenode;

import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import com.google.protobuf.MessageLite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.InputStream;
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

/**
 * A Boxer node as the agent sees it: a Unix domain socket server speaking agent.proto with the real generated
 * classes. Streams a configurable view to watchers and answers primes with a configurable reply (or not at
 * all), recording every prime. Threads: one accept thread plus one per connection, all daemons.
 */
public final class FakeNode implements AutoCloseable {

  private final Path socket;
  private final List<Prime> primes = new CopyOnWriteArrayList<>();
  private final List<SocketChannel> watchers = new CopyOnWriteArrayList<>();
  private final AtomicInteger watchRequests = new AtomicInteger();
  private volatile MembershipView view = MembershipView.getDefaultInstance();
  private volatile PrimeReply reply;
  private volatile boolean silent;
  private volatile boolean sendViewOnWatch = true;
  private ServerSocketChannel server;

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
    daemon("fake-node-accept", this::acceptLoop);
    return this;
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
    reply = newReply;
    silent = false;
  }

  /** Accept prime requests but never answer them. */
  public void setSilent() {
    silent = true;
  }

  public List<Prime> primes() {
    return List.copyOf(primes);
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

  private void acceptLoop() {
    try {
      while (true) {
        SocketChannel ch = server.accept();
        daemon("fake-node-conn", () -> serve(ch));
      }
    } catch (IOException closed) {
      // server closed
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
      } else if (request.hasPrime()) {
        primes.add(request.getPrime());
        if (silent) {
          drain(ch); // never answer
        } else {
          write(ch, reply);
        }
        ch.close();
      } else {
        ch.close();
      }
    } catch (IOException e) {
      // the agent went away
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
    ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
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
    dropWatchers();
    Files.deleteIfExists(socket);
  }
}
