package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.control.Endpoints;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.control.tls.ClusterCa;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.seed.v1.RelayRequest;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.Welcome;
import io.boxer.proto.v1.Member;
import io.boxer.seed.SeedRegistryTest.FakeStream;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Several members behind one external address: the second and later get virtual addresses and the relay. */
class SeedRegistryVirtualTest {
  private static final ClusterCa CA = ClusterCa.fromToken(JoinToken.parse("boxer_seed-registry-virtual-0123456789"));
  private static final String NAT = "198.18.0.101";
  private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
  private final RelaySessions sessions = new RelaySessions();

  private SeedRegistry registry(String range, boolean relay) {
    return new SeedRegistry(CA, Duration.ofMinutes(10), null, new IdAllocator(millis::get),
        new SeedMetrics(new SimpleMeterRegistry()), relay ? sessions : null, () -> 7947,
        range == null ? null : VirtualRange.parse(range));
  }

  private static long admit(SeedRegistry registry, String ip, int port, FakeStream stream) throws StatusException {
    return registry.join(stream, new ValidJoin(new InetSocketAddress(ip, port), stream.key, "member", 0));
  }

  private static Welcome welcome(FakeStream stream) {
    return stream.events.get(0).getWelcome();
  }

  private static CertifiedIdentity certified(ByteString der) throws Exception {
    return CertifiedIdentity.of((X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der.toByteArray())));
  }

  @Test
  void join_secondMemberBehindOneAddress_getsAVirtualAddress_certifiedAndRelayed() throws Exception {
    SeedRegistry registry = registry("198.19.254.0/24", true);
    FakeStream first = new FakeStream();
    FakeStream second = new FakeStream();
    long a = admit(registry, NAT, 40000, first);
    long b = admit(registry, NAT, 40999, second);

    Welcome welcome = welcome(second);
    assertThat(Endpoints.fromProto(welcome.getObserved()))
        .isEqualTo(new InetSocketAddress("198.19.254.1", 40999));
    assertThat(certified(welcome.getCertificate()).ip()).isEqualTo(InetAddress.getByName("198.19.254.1"));
    Member self = welcome.getMembersList().stream().filter(m -> m.getId() == b).findFirst().orElseThrow();
    assertThat(self.getVirtualAddress()).isTrue();
    assertThat(self.getRelayOnly()).isTrue();
    // the first member keeps the real address and hears of the second at its virtual one
    Member heard = first.events.get(1).getJoined().getMember();
    assertThat(heard.getControl()).isEqualTo(welcome.getObserved());
    Member firstAsSeen = welcome.getMembersList().stream().filter(m -> m.getId() == a).findFirst().orElseThrow();
    assertThat(firstAsSeen.getVirtualAddress()).isFalse();
    assertThat(firstAsSeen.getRelayOnly()).isFalse();
    assertThat(Endpoints.fromProto(firstAsSeen.getControl()).getAddress()).isEqualTo(InetAddress.getByName(NAT));
  }

  @Test
  void renew_certifiesTheVirtualAddressAgain() throws Exception {
    SeedRegistry registry = registry("198.19.254.0/24", true);
    admit(registry, NAT, 40000, new FakeStream());
    FakeStream second = new FakeStream();
    admit(registry, NAT, 40999, second);

    registry.renew(second);

    SeedEvent renewed = second.events.get(second.events.size() - 1);
    assertThat(certified(renewed.getCertificate().getCertificate()).ip())
        .isEqualTo(InetAddress.getByName("198.19.254.1"));
  }

  @Test
  void relay_ticketOfAVirtualMember_isBoundToTheRealAddressItComesFrom() throws Exception {
    SeedRegistry registry = registry("198.19.254.0/24", true);
    FakeStream first = new FakeStream();
    FakeStream second = new FakeStream();
    long a = admit(registry, NAT, 40000, first);
    admit(registry, NAT, 40999, second);

    registry.relay(second, RelayRequest.newBuilder().setRequestId(3).setPeerId(a).setPort(8080).build(), 0);
    byte[] fromVirtual = second.events.get(second.events.size() - 1).getRelayTicket().getTicket().toByteArray();
    registry.relay(second, RelayRequest.newBuilder().setRequestId(4).setPeerId(a).setPort(8080).build(), 0);
    byte[] fromNat = second.events.get(second.events.size() - 1).getRelayTicket().getTicket().toByteArray();

    // the relay sees the member's connection come from the NAT, never from the virtual address
    assertThatThrownBy(() -> sessions.claim(fromVirtual, InetAddress.getByName("198.19.254.1"), null, 0))
        .isInstanceOf(RelaySessions.Refused.class);
    assertThat(sessions.claim(fromNat, InetAddress.getByName(NAT), null, 0)).isNull(); // first end: waits
  }

  @Test
  void addresses_areHandedOutInTurn_skippingTaken_andNotReusedAtOnce() throws Exception {
    SeedRegistry registry = registry("198.19.254.0/29", true); // 6 usable: .1 .. .6
    admit(registry, NAT, 40000, new FakeStream());
    FakeStream second = new FakeStream();
    admit(registry, NAT, 40001, second);
    // a member whose real address is the next virtual one: it keeps it, and the range skips it
    admit(registry, "198.19.254.2", 40002, new FakeStream());
    FakeStream fourth = new FakeStream();
    admit(registry, NAT, 40003, fourth);
    registry.leave(second);
    FakeStream fifth = new FakeStream();
    admit(registry, NAT, 40004, fifth);

    assertThat(welcome(second).getObserved().getIp()).isEqualTo(ip("198.19.254.1"));
    assertThat(welcome(fourth).getObserved().getIp()).isEqualTo(ip("198.19.254.3"));
    assertThat(welcome(fifth).getObserved().getIp()).isEqualTo(ip("198.19.254.4"));
  }

  @Test
  void join_newMemberAtAnAddressThatIsAVirtualOne_getsAVirtualOneItself() throws Exception {
    SeedRegistry registry = registry("198.19.254.0/24", true);
    admit(registry, NAT, 40000, new FakeStream());
    admit(registry, NAT, 40001, new FakeStream()); // 198.19.254.1
    FakeStream third = new FakeStream();

    admit(registry, "198.19.254.1", 40002, third);

    assertThat(welcome(third).getObserved().getIp()).isEqualTo(ip("198.19.254.2"));
  }

  @Test
  void rejoin_ofAVirtualMember_keepsItsAddress_fromWhereverItComes() throws Exception {
    SeedRegistry registry = registry("198.19.254.0/24", true);
    admit(registry, NAT, 40000, new FakeStream());
    FakeStream second = new FakeStream();
    long b = admit(registry, NAT, 40001, second);
    registry.leave(second);
    FakeStream again = new FakeStream();

    registry.join(again, new ValidJoin(new InetSocketAddress("198.18.0.105", 40001), again.key, "member", b, false,
        0, false, InetAddress.getByName("198.19.254.1")));

    assertThat(welcome(again).getNodeId()).isEqualTo(b);
    assertThat(welcome(again).getObserved().getIp()).isEqualTo(ip("198.19.254.1"));
    assertThat(welcome(again).getMembersList()).filteredOn(m -> m.getId() == b)
        .singleElement().satisfies(m -> assertThat(m.getVirtualAddress() && m.getRelayOnly()).isTrue());
  }

  @Test
  void rejoin_toAnAddressAnotherMemberNowHas_isRefused() throws Exception {
    SeedRegistry registry = registry("198.19.254.0/24", true);
    admit(registry, NAT, 40000, new FakeStream());
    FakeStream second = new FakeStream();
    long b = admit(registry, NAT, 40001, second);
    registry.leave(second);
    admit(registry, "198.19.254.1", 40002, new FakeStream()); // a newcomer whose real address it is
    FakeStream again = new FakeStream();

    assertThatThrownBy(() -> registry.join(again, new ValidJoin(new InetSocketAddress(NAT, 40001), again.key,
        "member", b, false, 0, false, InetAddress.getByName("198.19.254.1"))))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
  }

  @Test
  void join_secondMemberBehindOneAddress_withoutRelayOrRange_isRefusedSayingWhatItNeeds() throws Exception {
    for (SeedRegistry registry : new SeedRegistry[] {registry(null, true), registry("198.19.254.0/24", false)}) {
      long a = admit(registry, NAT, 40000, new FakeStream());
      FakeStream second = new FakeStream();

      assertThatThrownBy(() -> admit(registry, NAT, 40999, second))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(e.getStatus().getDescription()).contains(NAT + " is already member " + a)
                .contains("--relay-port, --virtual-range");
          });
      assertThat(second.events).isEmpty();
      assertThat(registry.size()).isEqualTo(1);
    }
  }

  @Test
  void join_whenTheRangeIsFull_isResourceExhausted() throws Exception {
    SeedRegistry registry = registry("198.19.254.0/30", true); // 2 usable
    admit(registry, NAT, 40000, new FakeStream());
    admit(registry, NAT, 40001, new FakeStream());
    admit(registry, NAT, 40002, new FakeStream());

    assertThatThrownBy(() -> admit(registry, NAT, 40003, new FakeStream()))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("198.19.254.0/30");
        });
    assertThat(registry.size()).isEqualTo(3);
  }

  private static ByteString ip(String address) throws Exception {
    return Endpoints.toProto(new InetSocketAddress(address, 1)).getIp();
  }
}
