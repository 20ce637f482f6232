package io.boxer.bench.storage;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The shuffle's input: fixed-size records (an 8-byte key and a 92-byte value), generated from the mapper's index
 * so that every run, over storage or over Boxer, moves the same bytes; partitioned by key. A reducer's
 * {@link Summary} (records and a key checksum) must come out the same on both paths.
 */
final class Records {
  static final int RECORD_BYTES = 100;

  private Records() {}

  /** Mapper {@code mapper}'s records for each of {@code reducers} partitions, {@code bytes} in all (rounded down). */
  static ByteBuffer[] partitions(int mapper, int reducers, long bytes) {
    long records = bytes / RECORD_BYTES;
    int[] counts = new int[reducers];
    SplittableRandom random = new SplittableRandom(0xB0CE5L * 31 + mapper);
    long[] keys = new long[(int) records];
    for (int i = 0; i < records; i++) {
      keys[i] = random.nextLong();
      counts[partition(keys[i], reducers)]++;
    }
    ByteBuffer[] out = new ByteBuffer[reducers];
    for (int r = 0; r < reducers; r++) {
      out[r] = ByteBuffer.allocate(counts[r] * RECORD_BYTES);
    }
    byte[] value = new byte[RECORD_BYTES - Long.BYTES];
    for (long key : keys) {
      random.nextBytes(value);
      out[partition(key, reducers)].putLong(key).put(value);
    }
    for (ByteBuffer b : out) {
      b.flip();
    }
    return out;
  }

  static int partition(long key, int reducers) {
    return (int) Math.floorMod(key, (long) reducers);
  }

  /** What a reducer computes over its partitions: the record count and a checksum of the keys. */
  static final class Summary {
    private long records;
    private long checksum;
    private long bytes;

    void add(ByteBuffer partition) {
      bytes += partition.remaining();
      while (partition.remaining() >= RECORD_BYTES) {
        long key = partition.getLong();
        partition.position(partition.position() + RECORD_BYTES - Long.BYTES);
        records++;
        checksum += key * 0x9E3779B97F4A7C15L;
      }
    }

    long records() {
      return records;
    }

    long checksum() {
      return checksum;
    }

    long bytes() {
      return bytes;
    }
  }
}
