package io.boxer.seed;

import io.boxer.proto.seed.v1.SeedEvent;
import io.grpc.Status;
import java.security.PublicKey;

/** One member's end of the seed, as the {@link SeedRegistry} sees it ({@link MemberSession} in production). */
interface MemberStream {
  /** The member id, 0 before admission. */
  long memberId();

  /** Called by the registry once admitted, before the welcome is sent. */
  void admitted(long id);

  /** The key the member's certificate certifies. */
  PublicKey publicKey();

  /** When the member last said anything ({@link System#nanoTime()}). */
  long lastHeardNanos();

  /** The longest gap between the member's messages lately, as of {@code now} (an {@code ArrivalGaps}). */
  long recentMaxGapNanos(long now);

  /** Queues an event; never blocks. */
  void send(SeedEvent event);

  /** Ends the stream with {@code status}. */
  void end(Status status);
}
