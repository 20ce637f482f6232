package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RewriteCacheDirTest {

  @Test
  void unset_xdgCacheHome_thenHome_thenNone() {
    assertThat(RewriteCacheDir.parse(null, "/x/cache", "/home/u"))
        .isEqualTo(new RewriteCacheDir(Path.of("/x/cache/boxer/agent"), false));
    assertThat(RewriteCacheDir.parse(null, null, "/home/u"))
        .isEqualTo(new RewriteCacheDir(Path.of("/home/u/.cache/boxer/agent"), false));
    assertThat(RewriteCacheDir.parse(null, "relative/cache", "/home/u").path())
        .as("a relative XDG_CACHE_HOME is ignored").isEqualTo(Path.of("/home/u/.cache/boxer/agent"));
    assertThat(RewriteCacheDir.parse(null, "", "")).isEqualTo(RewriteCacheDir.NONE);
    assertThat(RewriteCacheDir.parse(null, null, "home")).isEqualTo(RewriteCacheDir.NONE);
  }

  @Test
  void named_isUsedAsGiven_orOff() {
    assertThat(RewriteCacheDir.parse("/opt/boxer/agent-cache/", "/x", "/h"))
        .isEqualTo(new RewriteCacheDir(Path.of("/opt/boxer/agent-cache"), true));
    assertThat(RewriteCacheDir.parse("off", "/x", "/h")).isEqualTo(RewriteCacheDir.NONE);
  }

  @Test
  void named_relativeOrBlank_isAnError() {
    for (String bad : new String[] {"cache", "", " ", "./x", "/a\0b", "OFF"}) {
      assertThatThrownBy(() -> RewriteCacheDir.parse(bad, "/x", "/h")).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("BOXER_AGENT_CACHE : '" + bad + "'")
          .hasMessageContaining("expected: an absolute directory path, or off");
    }
  }
}
