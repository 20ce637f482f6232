package io.boxer.deathstar.app;

import io.boxer.deathstar.proto.ComposeUniqueIdRequest;
import io.boxer.deathstar.proto.ComposeUniqueIdResponse;
import io.boxer.deathstar.proto.UniqueIdServiceGrpc;
import io.grpc.stub.StreamObserver;

/** unique-id: hands out {@link SnowflakeIds}. Keeps no state beyond the generator's clock and sequence. */
final class UniqueIdServiceImpl extends UniqueIdServiceGrpc.UniqueIdServiceImplBase {
  private final SnowflakeIds ids;

  UniqueIdServiceImpl(SnowflakeIds ids) {
    this.ids = ids;
  }

  @Override
  public void composeUniqueId(ComposeUniqueIdRequest request, StreamObserver<ComposeUniqueIdResponse> observer) {
    UnaryCalls.reply(Role.UNIQUE_ID, observer,
        () -> ComposeUniqueIdResponse.newBuilder().setPostId(ids.next()).build());
  }
}
