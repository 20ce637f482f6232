package io.boxer.deathstar.app;

import java.util.function.LongSupplier;

/**
 * Snowflake-style 64-bit ids, as DeathStarBench's unique-id service makes them: 1 zero sign bit, 41 bits of
 * milliseconds since 2024-01-01 UTC, 10 bits of machine id, 12 bits of sequence within the millisecond. Ids from one
 * generator are positive and strictly increasing; generators with distinct machine ids never collide.
 *
 * <p>Thread-safe. When more than 4096 ids are asked for within one millisecond, or the clock steps back, the
 * generator borrows the next millisecond instead of waiting, so ids may run slightly ahead of the clock.
 */
public final class SnowflakeIds {
  public static final int MAX_MACHINE_ID = (1 << 10) - 1;
  /** 2024-01-01T00:00:00Z in ms since the Unix epoch. */
  static final long EPOCH_MS = 1_704_067_200_000L;
  private static final int SEQUENCE_BITS = 12;
  private static final int MACHINE_BITS = 10;
  private static final int SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1;

  private final long machineBits;
  private final LongSupplier clockMillis;
  private long lastMillis = Long.MIN_VALUE; // guarded by this
  private int sequence; // guarded by this

  /**
   * @param machineId 0..1023
   * @param clockMillis wall-clock milliseconds since the Unix epoch; tests pass a fake
   */
  public SnowflakeIds(int machineId, LongSupplier clockMillis) {
    if (machineId < 0 || machineId > MAX_MACHINE_ID) {
      throw new IllegalArgumentException("machineId : " + machineId + " (expected: 0.." + MAX_MACHINE_ID + ")");
    }
    this.machineBits = (long) machineId << SEQUENCE_BITS;
    this.clockMillis = clockMillis;
  }

  /**
   * A new id.
   *
   * @throws IllegalStateException if the clock reads before 2024 (a broken clock would make colliding ids)
   */
  public synchronized long next() {
    long now = clockMillis.getAsLong();
    if (now < EPOCH_MS) {
      throw new IllegalStateException("clock reads " + now + " ms, before 2024-01-01; ids would not be unique");
    }
    if (now <= lastMillis) {
      sequence = (sequence + 1) & SEQUENCE_MASK;
      now = sequence == 0 ? lastMillis + 1 : lastMillis;
    } else {
      sequence = 0;
    }
    lastMillis = now;
    return ((now - EPOCH_MS) << (SEQUENCE_BITS + MACHINE_BITS)) | machineBits | sequence;
  }

  /** The machine id encoded in {@code id}. */
  public static int machineId(long id) {
    return (int) ((id >>> SEQUENCE_BITS) & MAX_MACHINE_ID);
  }
}
