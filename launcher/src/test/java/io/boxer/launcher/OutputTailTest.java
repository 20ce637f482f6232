package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void tail_keepsEverything_whileItFits() {
    OutputTail tail = new OutputTail(16);
    tail.append(bytes("abc"), 0, 3);
    tail.append(bytes("xdefx"), 1, 3);
    assertThat(tail.text()).isEqualTo("abcdef");
  }

  @Test
  void tail_keepsTheNewestBytes_acrossAppends() {
    OutputTail tail = new OutputTail(4);
    tail.append(bytes("abc"), 0, 3);
    tail.append(bytes("def"), 0, 3);
    assertThat(tail.text()).isEqualTo("cdef");
  }

  @Test
  void tail_keepsTheNewestBytes_ofOneLongAppend() {
    OutputTail tail = new OutputTail(4);
    tail.append(bytes("ab"), 0, 2);
    tail.append(bytes("0123456789"), 0, 10);
    tail.append(bytes("X"), 0, 1);
    assertThat(tail.text()).isEqualTo("789X");
  }

  @Test
  void pump_copiesTheStream_andKeepsItsTail() throws Exception {
    OutputTail tail = new OutputTail(5);
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    Thread pump = tail.pump(new ByteArrayInputStream(bytes("hello world")), new PrintStream(copy, true), "test-pump");
    pump.join(5_000);
    assertThat(copy.toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(tail.text()).isEqualTo("world");
  }
}
