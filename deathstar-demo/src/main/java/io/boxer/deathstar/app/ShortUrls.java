package io.boxer.deathstar.app;

import java.util.random.RandomGenerator;

/** Makes short URLs as DeathStarBench does: a fixed prefix and 10 random alphanumerics (62^10 of them). */
final class ShortUrls {
  static final String PREFIX = "http://short-url/";
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int CODE_LENGTH = 10;

  private ShortUrls() {}

  static String next(RandomGenerator random) {
    StringBuilder url = new StringBuilder(PREFIX.length() + CODE_LENGTH).append(PREFIX);
    for (int i = 0; i < CODE_LENGTH; i++) {
      url.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return url.toString();
  }
}
