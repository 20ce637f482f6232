package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.proto.seed.v1.SeedEvent;
import io.grpc.Status;
import io.grpc.StatusException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedRegistryTest {
  private final SeedRegistry registry = new SeedRegistry();
  private final List<SeedEvent> first = new ArrayList<>();
  private final List<SeedEvent> second = new ArrayList<>();

  private static InetSocketAddress at(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }

  @Test
  void join_assignsIncreasingIdsAndWelcomesWithAllMembers() throws Exception {
    long a = registry.join(at("198.18.0.101", 40000), first::add);
    long b = registry.join(at("198.18.0.102", 40001), second::add);

    assertThat(a).isEqualTo(1);
    assertThat(b).isEqualTo(2);
    SeedEvent welcome = second.get(0);
    assertThat(welcome.getWelcome().getNodeId()).isEqualTo(2);
    assertThat(welcome.getWelcome().getObserved().getPort()).isEqualTo(40001);
    assertThat(welcome.getWelcome().getMembersList()).extracting(m -> m.getId()).containsExactly(1L, 2L);
    // the older member hears about the newer one, after its own welcome
    assertThat(first).hasSize(2);
    assertThat(first.get(1).getJoined().getMember().getId()).isEqualTo(2);
  }

  @Test
  void join_rejectsASecondNodeBehindTheSameExternalIp() throws Exception {
    registry.join(at("198.18.0.101", 40000), first::add);

    assertThatThrownBy(() -> registry.join(at("198.18.0.101", 40999), second::add))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
          assertThat(e.getStatus().getDescription()).contains("198.18.0.101 is already member 1");
        });
    assertThat(second).isEmpty();
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void leave_tellsTheOthersAndFreesTheAddress() throws Exception {
    long a = registry.join(at("198.18.0.101", 40000), first::add);
    registry.join(at("198.18.0.102", 40001), second::add);

    registry.leave(a);
    registry.leave(a); // twice: no second event

    assertThat(second).last().satisfies(e -> assertThat(e.getLeft().getId()).isEqualTo(a));
    assertThat(second.stream().filter(SeedEvent::hasLeft)).hasSize(1);
    assertThat(registry.join(at("198.18.0.101", 40002), e -> {})).isEqualTo(3);
  }

  @Test
  void forwardPrimed_reachesTheNewerMember() throws Exception {
    long a = registry.join(at("198.18.0.101", 40000), first::add);
    long b = registry.join(at("198.18.0.102", 40001), second::add);

    registry.forwardPrimed(a, b, InetAddress.getByName("198.18.0.101"));

    assertThat(second).last().satisfies(e -> assertThat(e.getPrimed().getPeerId()).isEqualTo(a));
  }

  @Test
  void forwardPrimeRequest_reachesTheOlderMember() throws Exception {
    long a = registry.join(at("198.18.0.101", 40000), first::add);
    long b = registry.join(at("198.18.0.102", 40001), second::add);

    registry.forwardPrimeRequest(b, a, InetAddress.getByName("198.18.0.102"));

    assertThat(first).last().satisfies(e -> assertThat(e.getPrimeRequested().getPeerId()).isEqualTo(b));
    assertThatThrownBy(() -> registry.forwardPrimeRequest(b, a, InetAddress.getByName("198.18.0.101")))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
  }

  @Test
  void forwardPrimed_rejectsUnknownIdsAndImpostors() throws Exception {
    long a = registry.join(at("198.18.0.101", 40000), first::add);
    long b = registry.join(at("198.18.0.102", 40001), second::add);

    assertThatThrownBy(() -> registry.forwardPrimed(a, 99, InetAddress.getByName("198.18.0.101")))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(() -> registry.forwardPrimed(a, b, InetAddress.getByName("198.18.0.102")))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
  }
}
