package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.deathstar.proto.ComposeUniqueIdRequest;
import io.boxer.deathstar.proto.ComposeUniqueIdResponse;
import io.boxer.deathstar.proto.UniqueIdServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modeled capacity and the first-served record on a real (in-process) gRPC server, as ServiceHost adds them. */
class CapacityInterceptorTest {
  @TempDir Path dir;
  private Server server;
  private ManagedChannel channel;

  private UniqueIdServiceGrpc.UniqueIdServiceFutureStub serve(CapacityModel model, Path served) throws Exception {
    String name = InProcessServerBuilder.generateName();
    // as ServiceHost: the recorder (added last) sees the answer after the capacity hold
    server = InProcessServerBuilder.forName(name)
        .addService(ServerInterceptors.intercept(new UniqueIdServiceImpl(new SnowflakeIds(0,
            System::currentTimeMillis)), new CapacityInterceptor(model), new FirstServedRecorder(served,
            () -> 1_764_640_000_000L)))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    return UniqueIdServiceGrpc.newFutureStub(channel);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void calls_beyondTheModeledCapacity_wait() throws Exception {
    var stub = serve(new CapacityModel(1, Duration.ofMillis(100)), dir.resolve("served"));
    long start = System.nanoTime();
    List<com.google.common.util.concurrent.ListenableFuture<ComposeUniqueIdResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(stub.composeUniqueId(ComposeUniqueIdRequest.getDefaultInstance()));
    }
    for (var call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS).getPostId()).isPositive();
    }

    // one slot of 100 ms: four calls take at least 400 ms however fast the host is
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void firstServedCall_isRecordedOnce() throws Exception {
    Path served = dir.resolve("first.served");
    var stub = serve(new CapacityModel(8, Duration.ofMillis(1)), served);
    assertThat(served).doesNotExist();

    stub.composeUniqueId(ComposeUniqueIdRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS);

    assertThat(Files.readString(served)).isEqualTo("1764640000000\n");
    Files.delete(served);
    stub.composeUniqueId(ComposeUniqueIdRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS);
    assertThat(served).doesNotExist();
  }
}
