package io.boxer.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageReportTest {
  private static JsonObject json(String s) {
    return JsonParser.parseString(s).getAsJsonObject();
  }

  @Test
  void stats_areTheTablesMeanMedianStdMinMax() {
    Stats s = Stats.of(new double[] {4, 1, 3, 2});
    assertThat(s).isEqualTo(new Stats(4, 2.5, 2.5, Math.sqrt(1.25), 1, 4));
    assertThat(Stats.of(new double[] {7}).median()).isEqualTo(7);
    assertThatThrownBy(() -> Stats.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void records_areTheSameForAMapperEveryRun_andEveryRecordLandsInItsPartition() {
    ByteBuffer[] a = Records.partitions(3, 4, 100_000);
    ByteBuffer[] b = Records.partitions(3, 4, 100_000);
    long total = 0;
    for (int r = 0; r < 4; r++) {
      assertThat(a[r]).isEqualTo(b[r]);
      total += a[r].remaining();
      ByteBuffer p = a[r].duplicate();
      while (p.hasRemaining()) {
        assertThat(Records.partition(p.getLong(), 4)).isEqualTo(r);
        p.position(p.position() + Records.RECORD_BYTES - Long.BYTES);
      }
    }
    assertThat(total).isEqualTo(100_000);
    assertThat(Records.partitions(4, 4, 100_000)[0]).isNotEqualTo(a[0]);
  }

  @Test
  void ratio_isTakenRunByRun_andReportedAsMedianWithRange() {
    String line = StorageReport.ratio(Map.of("r1", 30.0, "r2", 10.0, "r3", 40.0),
        Map.of("r1", 10.0, "r2", 10.0, "r3", 10.0, "r4", 1.0), "s3 / boxer");
    assertThat(line).contains("s3 / boxer: **3.00x** median (1.00 - 4.00 over 3 runs)");
    assertThat(StorageReport.ratio(null, Map.of("r1", 1.0), "x")).isEmpty();
  }

  @Test
  void message_showsEachPathsMedianOfRunMedians_andTheRatios() {
    List<JsonObject> lines = List.of(
        json("{\"run\":\"r1\",\"bench\":\"message\",\"side\":\"receive\",\"path\":\"s3\",\"count\":10,"
            + "\"latencyMicros\":{\"median\":20000},\"requests\":{\"get\":30,\"put\":1}}"),
        json("{\"run\":\"r1\",\"bench\":\"message\",\"side\":\"receive\",\"path\":\"tcp\",\"count\":10,"
            + "\"latencyMicros\":{\"median\":4000}}"),
        json("{\"run\":\"r1\",\"bench\":\"message\",\"side\":\"send\",\"path\":\"s3\",\"count\":10}"));
    String table = StorageReport.message(lines);
    assertThat(table).contains("| S3 (s3proxy on a VM) | 20.00 | 20.00 - 20.00 | 1 | 3.1 |")
        .contains("| Boxer, new connection per message | 4.00 | 4.00 - 4.00 | 1 | - |")
        .contains("storage / Boxer, new connection per message (latency): **5.00x**");
  }

  @Test
  void shuffle_timesFromTheCommonStartToTheLastReducer_costsRequests_andChecksTheChecksums() {
    List<JsonObject> lines = List.of(
        json("{\"run\":\"r1\",\"bench\":\"shuffle\",\"side\":\"reduce\",\"path\":\"s3\",\"worker\":0,\"bytes\":1048576,"
            + "\"checksum\":7,\"startAtMillis\":1000,\"doneAtMillis\":3000,\"requests\":{\"get\":1000}}"),
        json("{\"run\":\"r1\",\"bench\":\"shuffle\",\"side\":\"map\",\"path\":\"s3\",\"worker\":0,\"bytes\":1048576,"
            + "\"requests\":{\"put\":1000}}"),
        json("{\"run\":\"r1\",\"bench\":\"shuffle\",\"side\":\"reduce\",\"path\":\"boxer\",\"worker\":0,"
            + "\"bytes\":1048576,\"checksum\":8,\"startAtMillis\":1000,\"doneAtMillis\":2000,\"requests\":{}}"),
        json("{\"run\":\"r1\",\"bench\":\"shuffle\",\"side\":\"map\",\"path\":\"boxer\",\"worker\":0,"
            + "\"bytes\":1048576,\"requests\":{}}"));
    String table = StorageReport.shuffle(lines, 1.0);
    // s3: 2 functions x 2 s x 1 GB of Lambda + 1000 PUTs + 1000 GETs
    double s3 = 2 * 2 * StorageReport.Prices.LAMBDA_GB_SECOND + 1000 * StorageReport.Prices.S3_PUT
        + 1000 * StorageReport.Prices.S3_GET;
    assertThat(table).contains(String.format(java.util.Locale.ROOT, "| S3 (s3proxy on a VM) | r1 | 2 | 2.00 | 1.0 |"
        + " {get=1000, put=1000} | $%.6f |", s3))
        .contains("storage / Boxer (time): **2.00x**")
        .contains("CHECKSUM MISMATCH");
  }
}
