package io.boxer.deathstar.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URLs and {@code @mentions} of a post's text, as DeathStarBench's text service finds them: a URL is
 * {@code http://} or {@code https://} followed by URL characters (trailing sentence punctuation is not part of it);
 * a mention is {@code @} plus 1..64 of {@code [A-Za-z0-9_-]}, not preceded by a word character and not inside a
 * URL (so {@code mail@host} and {@code http://h/@x} are not mentions).
 *
 * @param urls distinct URLs in order of first appearance
 * @param mentions distinct usernames (without {@code @}) in order of first appearance
 */
public record TextEntities(List<String> urls, List<String> mentions) {
  private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]+");
  private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_])@([A-Za-z0-9_-]{1,64})");
  private static final String TRAILING_PUNCTUATION = ".,;:!?)'";

  public TextEntities {
    urls = List.copyOf(urls);
    mentions = List.copyOf(mentions);
  }

  /** Finds the URLs and mentions of {@code text}. */
  public static TextEntities find(String text) {
    List<int[]> urlSpans = urlSpans(text);
    Set<String> urls = new LinkedHashSet<>();
    for (int[] span : urlSpans) {
      urls.add(text.substring(span[0], span[1]));
    }
    Set<String> mentions = new LinkedHashSet<>();
    Matcher m = MENTION.matcher(text);
    while (m.find()) {
      if (!inside(urlSpans, m.start())) {
        mentions.add(m.group(1));
      }
    }
    return new TextEntities(new ArrayList<>(urls), new ArrayList<>(mentions));
  }

  /**
   * {@code text} with each URL that is a key of {@code replacements} replaced by its value; everything else,
   * including URLs without a replacement, unchanged.
   */
  public static String replaceUrls(String text, Map<String, String> replacements) {
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (int[] span : urlSpans(text)) {
      String replacement = replacements.get(text.substring(span[0], span[1]));
      if (replacement != null) {
        out.append(text, copied, span[0]).append(replacement);
        copied = span[1];
      }
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static List<int[]> urlSpans(String text) {
    List<int[]> spans = new ArrayList<>();
    Matcher m = URL.matcher(text);
    while (m.find()) {
      int end = m.end();
      while (end > m.start() && TRAILING_PUNCTUATION.indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
      // "http://" followed only by punctuation is no URL
      if (text.indexOf("://", m.start()) + 3 < end) {
        spans.add(new int[] {m.start(), end});
      }
    }
    return spans;
  }

  private static boolean inside(List<int[]> spans, int index) {
    for (int[] span : spans) {
      if (index >= span[0] && index < span[1]) {
        return true;
      }
    }
    return false;
  }
}
