package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxer.node.membership.Peer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadyFileTest {
  private static final Peer SELF = new Peer(7, new InetSocketAddress("198.18.0.102", 41000), "cache");
  private static final Peer OTHER = new Peer(3, new InetSocketAddress("198.18.0.101", 40000));

  @Test
  void write_describesThisNodeAndEveryMemberById_atomically(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("ready.json");

    ReadyFile.write(path, SELF, 2, List.of(SELF, OTHER));

    JsonObject ready = JsonParser.parseString(Files.readString(path)).getAsJsonObject();
    assertThat(ready.get("id").getAsLong()).isEqualTo(7);
    assertThat(ready.get("address").getAsString()).isEqualTo("198.18.0.102");
    assertThat(ready.get("controlPort").getAsInt()).isEqualTo(41000);
    assertThat(ready.get("role").getAsString()).isEqualTo("cache");
    assertThat(ready.get("members").getAsInt()).isEqualTo(2);
    assertThat(ready.getAsJsonArray("peers")).hasSize(2);
    JsonObject first = ready.getAsJsonArray("peers").get(0).getAsJsonObject();
    assertThat(first.get("id").getAsLong()).isEqualTo(3);
    assertThat(first.get("address").getAsString()).isEqualTo("198.18.0.101");
    assertThat(first.get("role").getAsString()).isEqualTo("member");
    assertThat(Files.list(dir)).containsExactly(path); // no temp file left behind
  }

  @Test
  void withoutABarrier_membersIsAbsent(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("ready.json");

    ReadyFile.write(path, SELF, null, List.of(SELF));

    assertThat(JsonParser.parseString(Files.readString(path)).getAsJsonObject().has("members")).isFalse();
  }

  @Test
  void cleanup_removesAStaleFileAtOnce_andThisRunsWhenClosed(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("ready.json");
    Files.writeString(path, "{\"id\": 1}\n");

    try (ReadyFile.Cleanup cleanup = ReadyFile.cleanup(path)) {
      assertThat(path).doesNotExist();
      ReadyFile.write(path, SELF, null, List.of(SELF));
      assertThat(path).exists();
    }
    assertThat(path).doesNotExist();
  }
}
