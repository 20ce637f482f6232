package io.boxer.examples.replicated;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void apply_olderVersion_keepsTheNewer() {
    Table table = new Table(10, 1000);
    assertThat(table.apply("k", 5, "new")).isTrue();
    assertThat(table.apply("k", 4, "old")).isTrue();

    assertThat(table.get("k")).isEqualTo(new Table.Entry(5, "new"));
  }

  @Test
  void apply_newKeyToAFullTable_isRefusedButUpdatesAreNot() {
    Table table = new Table(2, 1000);
    assertThat(table.apply("a", 1, "x")).isTrue();
    assertThat(table.apply("b", 2, "x")).isTrue();

    assertThat(table.apply("c", 3, "x")).isFalse();
    assertThat(table.apply("a", 4, "y")).isTrue();
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.get("c")).isNull();
  }

  @Test
  void apply_beyondTheCharacterBound_isRefused() {
    Table table = new Table(10, 10);
    assertThat(table.apply("k", 1, "12345678")).isTrue(); // 9 characters

    assertThat(table.apply("j", 2, "1")).isFalse();
    assertThat(table.apply("k", 3, "123456789")).isTrue(); // 10: replacing frees the old value
    assertThat(table.apply("k", 4, "1234567890")).isFalse();
    assertThat(table.get("k")).isEqualTo(new Table.Entry(3, "123456789"));
  }
}
