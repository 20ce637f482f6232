package io.boxer.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenInputTest {
  private static final String TOKEN = "boxer_token-input-test-0123456789";
  @TempDir Path dir;

  private Path tokenFile(String mode) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "  " + TOKEN + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  @Test
  void resolve_takesTheInlineToken_strippedAndValidated() {
    assertThat(TokenInput.resolve(" " + TOKEN + " ", null)).isEqualTo(TOKEN);
    assertThatThrownBy(() -> TokenInput.resolve("tiny-secret", null))
        .hasMessageContaining("join token : 11 characters").hasMessageNotContaining("tiny-secret");
  }

  @Test
  void resolve_readsAPrivateTokenFile() throws Exception {
    assertThat(TokenInput.resolve(null, tokenFile("rw-------"))).isEqualTo(TOKEN);
  }

  @Test
  void resolve_withNeither_isNull() {
    assertThat(TokenInput.resolve(null, null)).isNull();
    assertThat(TokenInput.resolve("", null)).isNull();
  }

  @Test
  void resolve_withBoth_isRefused() throws Exception {
    Path file = tokenFile("rw-------");
    assertThatThrownBy(() -> TokenInput.resolve(TOKEN, file))
        .hasMessage("--token and --token-file : both given (expected: one of them)");
  }

  @Test
  void read_refusesAFileOthersCanRead_andAMissingFile() throws Exception {
    Path open = tokenFile("rw-r--r--");
    assertThatThrownBy(() -> TokenInput.read(open))
        .hasMessageContaining("--token-file : " + open + " is accessible by other users (mode rw-r--r--")
        .hasMessageContaining("chmod 600").hasMessageNotContaining(TOKEN);
    assertThatThrownBy(() -> TokenInput.read(dir.resolve("none")))
        .hasMessageContaining("--token-file : " + dir.resolve("none") + " cannot be read");
  }
}
