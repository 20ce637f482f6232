package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.proto.v1.PrimeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WarmPortsTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final WarmSettings SETTINGS = new WarmSettings(4, 10_000); // refresh every 10 s, valid 20 s
  private static final InetAddress MEMBER = ip("198.18.99.1");
  private static final InetAddress OTHER_MEMBER = ip("198.18.99.2");

  private final TrackedReservations reservations = new TrackedReservations(50_000);
  private final Set<Integer> open = reservations.open; // ports whose reservation is not closed
  private final List<Prime> primes = new ArrayList<>();
  private final Set<InetAddress> members = new HashSet<>(Set.of(MEMBER, OTHER_MEMBER));
  private int wakes;
  private long now = SECOND; // for runUntil
  private final WarmPorts pool = new WarmPorts(SETTINGS, reservations, this::prime, members::contains, () -> wakes++);

  private record Prime(int localPort, InetAddress remote, int port, CompletableFuture<PrimeResult> answer) {}

  @AfterEach
  void close() {
    pool.close();
  }

  private synchronized CompletableFuture<PrimeResult> prime(int localPort, InetAddress remote, int port, int timeout) {
    CompletableFuture<PrimeResult> answer = new CompletableFuture<>();
    primes.add(new Prime(localPort, remote, port, answer));
    return answer;
  }

  /** Answers every unanswered prime with {@code result}. */
  private synchronized void answerAll(PrimeResult result) {
    primes.stream().filter(p -> !p.answer().isDone()).forEach(p -> p.answer().complete(result));
  }

  private long unanswered() {
    return primes.stream().filter(p -> !p.answer().isDone()).count();
  }

  /** A pool for MEMBER:4000 with {@code ready} primed ports, at time 0. */
  private void warm(int ready) {
    pool.primed(MEMBER, 4000, 0);
    for (int i = 1; i < ready; i++) {
      assertThat(pool.take(MEMBER, 4000, 0)).isNull(); // a miss grows the target by one
    }
    pool.tick(0);
    answerAll(PrimeResult.PRIMED);
    assertThat(pool.ready(MEMBER, 4000, 0)).isEqualTo(ready);
  }

  @Test
  void take_withoutAPool_isNull_andReservesNothing() {
    assertThat(pool.take(MEMBER, 4000, 0)).isNull();
    pool.tick(0);

    assertThat(primes).isEmpty();
    assertThat(open).isEmpty();
  }

  @Test
  void primedEndpoint_getsOnePortReservedAndPrimedForThePool() {
    pool.primed(MEMBER, 4000, 0);
    pool.tick(0);

    assertThat(primes).singleElement().satisfies(p -> {
      assertThat(p.localPort()).isEqualTo(50_000);
      assertThat(p.remote()).isEqualTo(MEMBER);
      assertThat(p.port()).isEqualTo(4000);
    });
    assertThat(open).containsExactly(50_000);
    assertThat(pool.take(MEMBER, 4000, 0)).as("not ready before the node answered").isNull();
  }

  @Test
  void take_handsOutAPrimedPortOnce_andTheNextTickRefillsWithAFreshPort() {
    warm(1);

    WarmPorts.Reservation taken = pool.take(MEMBER, 4000, SECOND);

    assertThat(taken.port()).isEqualTo(50_000);
    assertThat(pool.take(MEMBER, 4000, SECOND)).as("taken, and a miss grows the pool to 2").isNull();
    pool.tick(SECOND);
    assertThat(primes).extracting(Prime::localPort).containsExactly(50_000, 50_001, 50_002);
  }

  @Test
  void take_otherEndpoint_isNull() {
    warm(1);

    assertThat(pool.take(MEMBER, 4001, 0)).isNull();
    assertThat(pool.take(OTHER_MEMBER, 4000, 0)).isNull();
  }

  @Test
  void concurrentTakes_neverHandOnePortTwice() throws Exception {
    warm(4);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<WarmPorts.Reservation>> takes = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        takes.add(threads.submit(() -> {
          start.await();
          return pool.take(MEMBER, 4000, SECOND);
        }));
      }
      start.countDown();
      List<Integer> ports = new ArrayList<>();
      for (Future<WarmPorts.Reservation> take : takes) {
        WarmPorts.Reservation r = take.get(10, TimeUnit.SECONDS);
        if (r != null) {
          ports.add(r.port());
        }
      }
      assertThat(ports).hasSize(4).doesNotHaveDuplicates();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void emptyPool_growsUpToTheSetting() {
    pool.primed(MEMBER, 4000, 0);
    for (int i = 0; i < 10; i++) {
      pool.take(MEMBER, 4000, 0);
    }
    pool.tick(0);

    assertThat(primes).hasSize(SETTINGS.portsPerEndpoint());
  }

  @Test
  void readyPort_isPrimedAgainEveryRefreshPeriod_andNotHandedOutWhileThatIsUnanswered() {
    warm(1);

    pool.tick(9 * SECOND);
    assertThat(primes).hasSize(1);
    pool.tick(10 * SECOND);
    assertThat(primes).hasSize(2).last().extracting(Prime::localPort).isEqualTo(50_000);
    assertThat(pool.take(MEMBER, 4000, 10 * SECOND)).isNull();

    answerAll(PrimeResult.PRIMED);
    assertThat(pool.take(MEMBER, 4000, 25 * SECOND).port()).as("valid for 20 s from the refresh").isEqualTo(50_000);
  }

  @Test
  void portNotRefreshedInTime_isNeverHandedOut_andItsReservationIsClosed() {
    warm(1);
    pool.tick(10 * SECOND); // refresh sent, never answered ...
    answerAll(PrimeResult.PRIMED); // ... until now: ready again, primed at 10 s

    assertThat(pool.take(MEMBER, 4000, 30 * SECOND)).as("30 s: 20 s after its last prime").isNull();
    pool.tick(30 * SECOND);
    assertThat(open).doesNotContain(50_000);
  }

  @Test
  void idlePool_shrinksOnePortPerIdlePeriod_closingReservations_thenIsDropped() {
    warm(3);
    long idle = WarmPorts.IDLE_NANOS;

    runUntil(idle - SECOND);
    assertThat(open).as("refreshed, kept").containsExactlyInAnyOrder(50_000, 50_001, 50_002);
    runUntil(idle);
    assertThat(open).as("the oldest goes first").containsExactlyInAnyOrder(50_001, 50_002);
    runUntil(2 * idle);
    assertThat(open).containsExactly(50_002);
    runUntil(3 * idle);

    assertThat(open).isEmpty();
    assertThat(pool.reserved()).isZero();
    assertThat(pool.pools()).isZero();
    int primesBefore = primes.size();
    pool.tick(4 * idle);
    assertThat(primes).as("a dropped pool is never primed again").hasSize(primesBefore);
  }

  /** Ticks every second from the last time up to {@code end}, answering every prime PRIMED. */
  private void runUntil(long end) {
    for (; now <= end; now += SECOND) {
      pool.tick(now);
      answerAll(PrimeResult.PRIMED);
    }
  }

  @Test
  void answerOtherThanPrimed_dropsThePoolAndClosesItsReservations() {
    warm(2);
    pool.tick(10 * SECOND); // two refreshes

    primes.get(primes.size() - 1).answer().complete(PrimeResult.REFUSED);

    assertThat(open).isEmpty();
    assertThat(pool.pools()).isZero();
    answerAll(PrimeResult.PRIMED); // the other refresh, answered late, finds nothing
    assertThat(pool.take(MEMBER, 4000, 10 * SECOND)).isNull();
    assertThat(pool.reserved()).isZero();
  }

  @Test
  void failedPrime_dropsThePool() {
    pool.primed(MEMBER, 4000, 0);
    pool.tick(0);

    primes.get(0).answer().completeExceptionally(new IOException("the Boxer node closed the connection"));

    assertThat(open).isEmpty();
    assertThat(pool.pools()).isZero();
  }

  @Test
  void unansweredPrime_isGivenUp_andItsPoolDropped() {
    pool.primed(MEMBER, 4000, 0);
    pool.tick(0);

    pool.tick(WarmPorts.STUCK_NANOS);

    assertThat(open).isEmpty();
    assertThat(pool.pools()).isZero();
  }

  @Test
  void memberThatLeft_losesItsPools() {
    warm(2);
    members.remove(MEMBER);

    pool.tick(SECOND);

    assertThat(open).isEmpty();
    assertThat(pool.pools()).isZero();
  }

  @Test
  void portsPerMember_areBounded_acrossItsEndpoints() {
    for (int port = 4000; port < 4010; port++) {
      pool.primed(MEMBER, port, 0);
      for (int i = 0; i < 3; i++) {
        pool.take(MEMBER, port, 0); // grow every pool to 4
      }
    }
    for (int i = 0; i < 10; i++) {
      pool.tick(0);
      answerAll(PrimeResult.PRIMED);
    }

    assertThat(open).hasSize(WarmPorts.MAX_PER_MEMBER);
  }

  @Test
  void portsPerJvm_andPrimesInFlight_areBounded() {
    for (int member = 1; member <= 20; member++) {
      InetAddress ip = ip("198.18.98." + member);
      members.add(ip);
      for (int port = 4000; port < 4004; port++) {
        pool.primed(ip, port, 0);
        for (int i = 0; i < 3; i++) {
          pool.take(ip, port, 0);
        }
      }
    }

    pool.tick(0);
    assertThat(unanswered()).isEqualTo(WarmPorts.MAX_PRIMES_IN_FLIGHT);
    for (int i = 0; i < 40; i++) {
      answerAll(PrimeResult.PRIMED);
      pool.tick(0);
    }

    assertThat(open).hasSize(WarmPorts.MAX_PER_JVM);
    assertThat(pool.reserved()).isEqualTo(WarmPorts.MAX_PER_JVM);
  }

  @Test
  void reservationFailure_leavesThePoolToTryAgain() {
    boolean[] failed = {false};
    WarmPorts failing = new WarmPorts(SETTINGS, remote -> {
      if (!failed[0]) {
        failed[0] = true;
        throw new IOException("no ephemeral port");
      }
      return reservations.reserve(remote);
    }, this::prime, members::contains, () -> { });
    failing.primed(MEMBER, 4000, 0);

    failing.tick(0);
    assertThat(primes).isEmpty();
    failing.tick(SECOND);

    assertThat(primes).singleElement().extracting(Prime::localPort).isEqualTo(50_000);
    failing.close();
  }

  @Test
  void takeAndPrimed_wakeTheTicker() {
    pool.primed(MEMBER, 4000, 0);
    pool.take(MEMBER, 4000, 0);

    assertThat(wakes).isEqualTo(2);
  }

  @Test
  void close_closesEveryReservation() {
    warm(3);

    pool.close();

    assertThat(open).isEmpty();
    assertThat(pool.reserved()).isZero();
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
