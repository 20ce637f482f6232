package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.node.BoxerNode;
import io.boxer.node.NodeConfig;
import io.boxer.proto.seed.v1.JoinRequest;
import io.boxer.proto.seed.v1.ReportPrimedRequest;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Malformed requests to a real seed over loopback are rejected with the documented status; the seed stays up. */
class SeedServiceTest {
  private SeedServer seed;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    seed = new SeedServer(new InetSocketAddress("127.0.0.1", 0)).start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", seed.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    seed.close();
  }

  private Status joinStatus(JoinRequest request) {
    Iterator<SeedEvent> events = SeedGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).join(request);
    try {
      events.next();
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  @Test
  void join_withUnknownProtocolVersion_isFailedPrecondition() {
    Status status = joinStatus(JoinRequest.newBuilder().setProtocolVersion(99).setControlPort(4000).build());

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).isEqualTo("protocol_version : 99 (expected: 1)");
    assertThat(seed.members()).isZero();
  }

  @Test
  void join_withControlPortOutOfRange_isInvalidArgument() {
    Status status = joinStatus(JoinRequest.newBuilder().setProtocolVersion(1).setControlPort(70000).build());

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("control_port : 70000 (expected: 1..65535)");
  }

  @Test
  void join_fromAPortOtherThanTheControlPort_isFailedPrecondition() {
    // this stub dials from an ephemeral port, as a node behind a port-randomizing NAT would appear
    Status status = joinStatus(JoinRequest.newBuilder().setProtocolVersion(1).setControlPort(4000).build());

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).startsWith("control port 4000 was seen as port ")
        .endsWith("Boxer needs one that does (as AWS Lambda's does); relaying is not supported");
  }

  @Test
  void reportPrimed_fromANonMember_isNotFound_andTheSeedStillAdmitsNodes() throws Exception {
    assertThatThrownBy(() -> SeedGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
            .reportPrimed(ReportPrimedRequest.newBuilder().setNodeId(7).setPeerId(8).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

    try (BoxerNode node = new BoxerNode(NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", seed.port())))) {
      node.start();
      assertThat(seed.members()).isEqualTo(1);
    }
  }
}
