package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {
  @TempDir Path dir;

  @Test
  void write_thenRead_roundTrips() throws Exception {
    ResultFile file = new ResultFile("vm", "mix", List.of(Results.of(100, 99, 20, 0), Results.of(200, 150, 300, 4)));

    Path json = file.write(dir.resolve("out"));

    assertThat(json.getFileName().toString()).isEqualTo(ResultFile.JSON_NAME);
    assertThat(ResultFile.read(json)).isEqualTo(file);
  }

  @Test
  void write_csv_hasHeaderAndARowPerRate() throws Exception {
    new ResultFile("vm", "mix", List.of(Results.of(100, 99, 20, 0))).write(dir);

    List<String> lines = Files.readAllLines(dir.resolve(ResultFile.CSV_NAME));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("label,workload,offered_rps,achieved_rps");
    assertThat(lines.get(1)).startsWith("vm,mix,100.000,99.000,10.000,100,100,0,0,10.000,20.000,40.000");
  }

  @Test
  void read_notAResultsFile_saysSo() throws Exception {
    Path json = Files.writeString(dir.resolve("x.json"), "{\"hello\": 1}");

    assertThatThrownBy(() -> ResultFile.read(json))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not a results file");
  }
}
