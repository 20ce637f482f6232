package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextEntitiesTest {
  @Test
  void find_urlsAndMentions_inOrder() {
    TextEntities found = TextEntities.find("hi @user_1, see https://a.example/x?y=1 and http://b.example @user-2");

    assertThat(found.urls()).containsExactly("https://a.example/x?y=1", "http://b.example");
    assertThat(found.mentions()).containsExactly("user_1", "user-2");
  }

  @Test
  void find_trailingPunctuation_isNotPartOfTheUrl() {
    assertThat(TextEntities.find("(see http://a.example/p).").urls()).containsExactly("http://a.example/p");
  }

  @Test
  void find_atSignsInsideUrlsAndEmails_areNotMentions() {
    TextEntities found = TextEntities.find("mail me@host.example or http://h.example/@bob");

    assertThat(found.mentions()).isEmpty();
    assertThat(found.urls()).containsExactly("http://h.example/@bob");
  }

  @Test
  void find_repeats_areListedOnce() {
    TextEntities found = TextEntities.find("@a @a http://x.example http://x.example");

    assertThat(found.mentions()).containsExactly("a");
    assertThat(found.urls()).containsExactly("http://x.example");
  }

  @Test
  void find_schemeWithoutHost_isNoUrl() {
    assertThat(TextEntities.find("broken http:// link").urls()).isEmpty();
  }

  @Test
  void replaceUrls_replacesEveryOccurrence_andLeavesTheRest() {
    String text = "a http://x.example b http://x.example. c https://y.example";

    assertThat(TextEntities.replaceUrls(text, Map.of("http://x.example", "http://short-url/AAAAAAAAAA")))
        .isEqualTo("a http://short-url/AAAAAAAAAA b http://short-url/AAAAAAAAAA. c https://y.example");
  }
}
