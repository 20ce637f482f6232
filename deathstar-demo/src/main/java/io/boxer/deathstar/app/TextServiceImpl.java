package io.boxer.deathstar.app;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.boxer.deathstar.proto.ProcessTextRequest;
import io.boxer.deathstar.proto.ProcessTextResponse;
import io.boxer.deathstar.proto.ResolveMentionsRequest;
import io.boxer.deathstar.proto.ResolveMentionsResponse;
import io.boxer.deathstar.proto.ShortenUrlsRequest;
import io.boxer.deathstar.proto.ShortenUrlsResponse;
import io.boxer.deathstar.proto.TextServiceGrpc;
import io.boxer.deathstar.proto.Url;
import io.boxer.deathstar.proto.UrlShortenServiceGrpc.UrlShortenServiceFutureStub;
import io.boxer.deathstar.proto.UserMentionServiceGrpc.UserMentionServiceFutureStub;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * text: finds a text's URLs and mentions ({@link TextEntities}), then asks url-shorten and user-mention in
 * parallel, as DeathStarBench does, and returns the text with short URLs. Both are called even when the text has
 * no URL or mention, so every compose has the same call graph.
 */
final class TextServiceImpl extends TextServiceGrpc.TextServiceImplBase {
  static final int MAX_TEXT_LENGTH = 4096;

  private final UrlShortenServiceFutureStub urlShorten;
  private final UserMentionServiceFutureStub userMention;
  private final long deadlineMillis;

  TextServiceImpl(UrlShortenServiceFutureStub urlShorten, UserMentionServiceFutureStub userMention,
      Duration deadline) {
    this.urlShorten = urlShorten;
    this.userMention = userMention;
    this.deadlineMillis = deadline.toMillis();
  }

  @Override
  public void processText(ProcessTextRequest request, StreamObserver<ProcessTextResponse> observer) {
    UnaryCalls.reply(Role.TEXT, observer, () -> {
      String text = request.getText();
      if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
        throw new IllegalArgumentException("text : " + text.length() + " characters (expected: 1.."
            + MAX_TEXT_LENGTH + ")");
      }
      TextEntities entities = TextEntities.find(text);
      if (entities.urls().size() > UrlShortenServiceImpl.MAX_URLS) {
        throw new IllegalArgumentException("text : " + entities.urls().size() + " URLs (expected: at most "
            + UrlShortenServiceImpl.MAX_URLS + ")");
      }
      if (entities.mentions().size() > UserMentionServiceImpl.MAX_USERNAMES) {
        throw new IllegalArgumentException("text : " + entities.mentions().size() + " mentions (expected: at most "
            + UserMentionServiceImpl.MAX_USERNAMES + ")");
      }
      Future<ShortenUrlsResponse> shortened = urlShorten.withDeadlineAfter(deadlineMillis, MILLISECONDS)
          .shortenUrls(ShortenUrlsRequest.newBuilder().addAllUrls(entities.urls()).build());
      Future<ResolveMentionsResponse> mentioned = userMention.withDeadlineAfter(deadlineMillis, MILLISECONDS)
          .resolveMentions(ResolveMentionsRequest.newBuilder().addAllUsernames(entities.mentions()).build());
      ShortenUrlsResponse urls = RpcFutures.await(shortened);
      ResolveMentionsResponse mentions = RpcFutures.await(mentioned);
      Map<String, String> shortByLong = new HashMap<>();
      for (Url url : urls.getUrlsList()) {
        shortByLong.put(url.getExpandedUrl(), url.getShortenedUrl());
      }
      return ProcessTextResponse.newBuilder()
          .setText(TextEntities.replaceUrls(text, shortByLong))
          .addAllUrls(urls.getUrlsList())
          .addAllUserMentions(mentions.getUserMentionsList())
          .build();
    });
  }
}
