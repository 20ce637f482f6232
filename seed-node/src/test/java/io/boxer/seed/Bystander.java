package io.boxer.seed;

import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.ProbeRequest;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.boxer.proto.v1.Heartbeat;
import io.boxer.proto.v1.Member;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A well-behaved member that says something at least every 50 ms (four times as often as a node's heartbeat,
 * so that no suspicion others report about it can hold) and reads everything the seed sends, so that others'
 * messages about it (forwarded primes, probes, suspicions) have a live target. It is also the test's witness of
 * the member table: the seed tells every member of every join and departure in
 * one order, so its view (welcome, then joined and left events) is the table as of the last event it read,
 * and {@link #sync} makes that "now". Records why it stopped being a member, if it did. Owns its channel and
 * its heartbeat thread, the only thread that sends on its stream.
 */
final class Bystander implements AutoCloseable {
  private static final NodeMessage HEARTBEAT =
      NodeMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();
  /** Probe targets the seed never assigns (ids are wall-clock based, far above these). */
  private static final AtomicLong syncIds = new AtomicLong(1_000_000);

  /** A join the bystander was told of, in the order it was told. */
  record Joined(long id, String ip) {}

  private final ManagedChannel channel;
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bystander-heartbeats");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<String> removed = new AtomicReference<>();
  private final CompletableFuture<Long> id = new CompletableFuture<>();
  private final Map<Long, String> members = new ConcurrentHashMap<>();
  private final List<Joined> joins = new ArrayList<>(); // @GuardedBy("this")
  private final Map<Long, CompletableFuture<Void>> syncs = new ConcurrentHashMap<>();
  private volatile boolean closing;
  private ClientCallStreamObserver<NodeMessage> requests;
  private long lastSentNanos; // sender thread only

  private Bystander(ManagedChannel channel) {
    this.channel = channel;
  }

  /** Joins with {@code join} over {@code channel} and starts heartbeating. */
  static Bystander join(ManagedChannel channel, NodeMessage join) throws Exception {
    Bystander b = new Bystander(channel);
    SeedGrpc.newStub(channel).join(new ClientResponseObserver<NodeMessage, SeedEvent>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<NodeMessage> stream) {
        b.requests = stream;
      }

      @Override
      public void onNext(SeedEvent event) {
        b.onEvent(event);
      }

      @Override
      public void onError(Throwable t) {
        b.ended(Status.fromThrowable(t).toString());
      }

      @Override
      public void onCompleted() {
        b.ended("the seed completed its session");
      }
    });
    b.sender.execute(() -> b.send(join));
    b.id.get(10, TimeUnit.SECONDS);
    b.sender.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - b.lastSentNanos >= TimeUnit.MILLISECONDS.toNanos(50)) {
        b.send(HEARTBEAT);
      }
    }, 25, 25, TimeUnit.MILLISECONDS);
    return b;
  }

  /** On the sender thread. */
  private void send(NodeMessage message) {
    lastSentNanos = System.nanoTime();
    requests.onNext(message);
  }

  private void onEvent(SeedEvent event) {
    switch (event.getEventCase()) {
      case WELCOME -> {
        event.getWelcome().getMembersList().forEach(m -> members.put(m.getId(), ip(m)));
        id.complete(event.getWelcome().getNodeId());
      }
      case JOINED -> {
        Member m = event.getJoined().getMember();
        members.put(m.getId(), ip(m));
        synchronized (this) {
          joins.add(new Joined(m.getId(), ip(m)));
        }
      }
      case LEFT -> {
        members.remove(event.getLeft().getId());
        if (id.isDone() && event.getLeft().getId() == id.join()) {
          removed.compareAndSet(null, "the seed removed it: " + event.getLeft().getReason());
        }
      }
      case PROBE -> {
        CompletableFuture<Void> sync = syncs.remove(event.getProbe().getPeerId());
        if (sync != null) {
          sync.complete(null);
        }
      }
      default -> { }
    }
  }

  private void ended(String why) {
    id.completeExceptionally(new IllegalStateException(why));
    if (!closing) {
      removed.compareAndSet(null, why);
    }
  }

  long id() {
    return id.join();
  }

  /**
   * Returns once the bystander has read every event the seed sent before now: a probe round trip on its own
   * stream, which the seed answers after everything it did before. A probe the seed dropped (its per-member
   * rate limit) is sent again after half a second.
   */
  void sync(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long probe = syncIds.incrementAndGet();
      CompletableFuture<Void> answered = new CompletableFuture<>();
      syncs.put(probe, answered);
      sender.execute(() -> send(NodeMessage.newBuilder().setProbe(ProbeRequest.newBuilder().setPeerId(probe)).build()));
      try {
        answered.get(Math.min(500, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))),
            TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        syncs.remove(probe);
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the seed did not answer the bystander's probe within " + timeout
              + (removed() == null ? "" : "; the bystander was removed: " + removed()), e);
        }
      }
    }
  }

  /** How many joins it has been told of; a mark for {@link #joinsSince}. */
  synchronized int joinCount() {
    return joins.size();
  }

  synchronized List<Joined> joinsSince(int mark) {
    return List.copyOf(joins.subList(mark, joins.size()));
  }

  /** Whether it knows a member at {@code ip}. */
  boolean knowsMemberAt(String ip) {
    return members.containsValue(ip);
  }

  boolean knowsMember(long memberId) {
    return members.containsKey(memberId);
  }

  /** The members it knows, itself included. */
  int knownMembers() {
    return members.size();
  }

  /** Why it is no longer a member, or null while it is one. */
  String removed() {
    return removed.get();
  }

  private static String ip(Member m) {
    try {
      return InetAddress.getByAddress(m.getControl().getIp().toByteArray()).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    sender.execute(() -> requests.onCompleted());
    sender.shutdown();
    sender.awaitTermination(2, TimeUnit.SECONDS);
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
  }
}
