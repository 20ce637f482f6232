package io.boxer.node.mesh;

import io.boxer.node.membership.Peer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.mesh.v1.Goodbye;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.v1.PrimeResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's link handler as {@link io.boxer.node.BoxerNode} wires it (a real {@link PrimeHandler} answers primes;
 * a goodbye closes the link; a closed link is forgotten), which also watches what happens: every prime that
 * was executed for an address other than the asking member's own is recorded, and so is every prime request
 * acted on after its link was closed (one link per member at a time here, so "the member has no open link"
 * means the request came on a closed one). Thread-safe.
 */
final class CheckingLinkHandler implements LinkHandler {
  private final PrimeHandler primes;
  private final MeshLinks links;
  private final List<String> thirdPartyPrimes = new CopyOnWriteArrayList<>();
  private final List<String> onClosedLinks = new CopyOnWriteArrayList<>();
  private final AtomicInteger primeCalls = new AtomicInteger();
  private final AtomicInteger primedAnswers = new AtomicInteger();
  private final AtomicInteger goodbyes = new AtomicInteger();
  private final AtomicInteger closedLinks = new AtomicInteger();
  private final AtomicLong probeResponses = new AtomicLong();
  private final AtomicLong probeRequests = new AtomicLong();

  CheckingLinkHandler(PrimeHandler primes, MeshLinks links) {
    this.primes = primes;
    this.links = links;
  }

  @Override
  public synchronized PrimeResponse prime(Peer from, PrimeRequest request) {
    primeCalls.incrementAndGet();
    boolean onOpenLink = links.isLinked(from.id());
    long primedBefore = primes.counters().primed.get();
    PrimeResponse response = primes.handle(from, request);
    boolean primed = primes.counters().primed.get() > primedBefore;
    if (response.getResult() == PrimeResult.PRIMED) {
      primedAnswers.incrementAndGet();
    }
    InetAddress client = ip(request);
    if ((primed || response.getResult() == PrimeResult.PRIMED) && !from.externalIp().equals(client)) {
      thirdPartyPrimes.add("member " + from.id() + " at " + from.externalIp().getHostAddress() + " got " + request
          .getClient() + " primed (" + response.getResult() + ", counted: " + primed + ")");
    }
    if (!onOpenLink && onClosedLinks.size() < 10_000) {
      onClosedLinks.add("prime request from member " + from.id() + " answered " + response.getResult()
          + " although its link was closed");
    }
    return response;
  }

  @Override
  public long silentMillis(long targetId) {
    probeRequests.incrementAndGet();
    return links.get(targetId)
        .map(l -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - l.lastHeardNanos()))
        .orElse(0xFFFF_FFFFL);
  }

  @Override
  public void onProbeResponse(long targetId, long silentMillis) {
    probeResponses.incrementAndGet();
  }

  @Override
  public void onGoodbye(Peer from, Goodbye.Reason reason) {
    goodbyes.incrementAndGet();
    links.close(from.id(), null); // the node forgets the member and its link (BoxerNode#memberLeft)
  }

  @Override
  public void onLinkClosed(MeshLink link) {
    closedLinks.incrementAndGet();
    links.remove(link);
  }

  /** Primes executed for somebody else's address since the last call (there must be none); forgets them. */
  List<String> drainThirdPartyPrimes() {
    List<String> drained = List.copyOf(thirdPartyPrimes);
    thirdPartyPrimes.removeAll(drained);
    return drained;
  }

  /** Prime requests acted on after their link was closed, since the start. */
  int onClosedLinks() {
    return onClosedLinks.size();
  }

  /** The first prime request acted on after its link was closed, if any. */
  String firstOnClosedLink() {
    return onClosedLinks.isEmpty() ? "none" : onClosedLinks.get(0);
  }

  int primeCalls() {
    return primeCalls.get();
  }

  int primedAnswers() {
    return primedAnswers.get();
  }

  int closedLinks() {
    return closedLinks.get();
  }

  /** Probe requests answered (each asks {@link #silentMillis}). */
  long probeRequests() {
    return probeRequests.get();
  }

  int goodbyes() {
    return goodbyes.get();
  }

  /** The client address of a request the way the node reads it, or null if it is no address. */
  private static InetAddress ip(PrimeRequest request) {
    int length = request.getClient().getIp().size();
    if (length != 4 && length != 16) {
      return null;
    }
    try {
      return InetAddress.getByAddress(request.getClient().getIp().toByteArray());
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
