package io.boxer.deathstar.app;

import io.boxer.deathstar.proto.ShortenUrlsRequest;
import io.boxer.deathstar.proto.ShortenUrlsResponse;
import io.boxer.deathstar.proto.Url;
import io.boxer.deathstar.proto.UrlShortenServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * url-shorten: stores {@code url:<short url> → long url} in Redis. A new short URL per request, as in
 * DeathStarBench; {@code SET NX} keeps a (vanishingly rare) random collision from overwriting another mapping.
 */
final class UrlShortenServiceImpl extends UrlShortenServiceGrpc.UrlShortenServiceImplBase {
  static final int MAX_URLS = 64;
  static final int MAX_URL_LENGTH = 2048;
  private static final int ATTEMPTS_PER_URL = 4;

  private final UnifiedJedis redis;

  /** @param redis not owned */
  UrlShortenServiceImpl(UnifiedJedis redis) {
    this.redis = redis;
  }

  @Override
  public void shortenUrls(ShortenUrlsRequest request, StreamObserver<ShortenUrlsResponse> observer) {
    UnaryCalls.reply(Role.URL_SHORTEN, observer, () -> {
      if (request.getUrlsCount() > MAX_URLS) {
        throw new IllegalArgumentException("urls : " + request.getUrlsCount() + " URLs (expected: at most "
            + MAX_URLS + ")");
      }
      ShortenUrlsResponse.Builder response = ShortenUrlsResponse.newBuilder();
      for (String url : request.getUrlsList()) {
        check(url);
        response.addUrls(Url.newBuilder().setExpandedUrl(url).setShortenedUrl(store(url)));
      }
      return response.build();
    });
  }

  private String store(String url) {
    for (int attempt = 0; attempt < ATTEMPTS_PER_URL; attempt++) {
      String shortUrl = ShortUrls.next(ThreadLocalRandom.current());
      if (redis.set(RedisKeys.shortUrl(shortUrl), url, SetParams.setParams().nx()) != null) {
        return shortUrl;
      }
    }
    throw new IllegalStateException(ATTEMPTS_PER_URL + " random short URLs in a row were taken");
  }

  private static void check(String url) {
    if (!(url.startsWith("http://") || url.startsWith("https://")) || url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException("urls : '" + abbreviate(url) + "' (expected: an http:// or https:// URL of"
          + " at most " + MAX_URL_LENGTH + " characters)");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
