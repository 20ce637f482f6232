package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.deathstar.proto.ProcessTextRequest;
import io.boxer.deathstar.proto.ProcessTextResponse;
import io.boxer.deathstar.proto.ResolveMentionsRequest;
import io.boxer.deathstar.proto.ResolveMentionsResponse;
import io.boxer.deathstar.proto.ShortenUrlsRequest;
import io.boxer.deathstar.proto.ShortenUrlsResponse;
import io.boxer.deathstar.proto.TextServiceGrpc;
import io.boxer.deathstar.proto.Url;
import io.boxer.deathstar.proto.UrlShortenServiceGrpc;
import io.boxer.deathstar.proto.UserMention;
import io.boxer.deathstar.proto.UserMentionServiceGrpc;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** text against in-process url-shorten and user-mention services. */
class TextServiceImplTest {
  private final AtomicInteger shortenCalls = new AtomicInteger();
  private final AtomicInteger mentionCalls = new AtomicInteger();
  private InProcessGrpc downstream;
  private InProcessGrpc text;

  @BeforeEach
  void start() throws Exception {
    downstream = new InProcessGrpc(new UrlShortenServiceGrpc.UrlShortenServiceImplBase() {
      @Override
      public void shortenUrls(ShortenUrlsRequest request, StreamObserver<ShortenUrlsResponse> o) {
        shortenCalls.incrementAndGet();
        ShortenUrlsResponse.Builder response = ShortenUrlsResponse.newBuilder();
        for (int i = 0; i < request.getUrlsCount(); i++) {
          response.addUrls(Url.newBuilder().setExpandedUrl(request.getUrls(i)).setShortenedUrl("http://short-url/" + i));
        }
        o.onNext(response.build());
        o.onCompleted();
      }
    }, new UserMentionServiceGrpc.UserMentionServiceImplBase() {
      @Override
      public void resolveMentions(ResolveMentionsRequest request, StreamObserver<ResolveMentionsResponse> o) {
        mentionCalls.incrementAndGet();
        ResolveMentionsResponse.Builder response = ResolveMentionsResponse.newBuilder();
        for (String name : request.getUsernamesList()) {
          if (name.startsWith("user_")) { // anyone else is unknown
            response.addUserMentions(UserMention.newBuilder().setUsername(name)
                .setUserId(Long.parseLong(name.substring(5))));
          }
        }
        o.onNext(response.build());
        o.onCompleted();
      }
    });
    text = new InProcessGrpc(new TextServiceImpl(UrlShortenServiceGrpc.newFutureStub(downstream.channel),
        UserMentionServiceGrpc.newFutureStub(downstream.channel), Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() throws Exception {
    text.close();
    downstream.close();
  }

  private ProcessTextResponse process(String input) {
    return TextServiceGrpc.newBlockingStub(text.channel)
        .processText(ProcessTextRequest.newBuilder().setText(input).build());
  }

  @Test
  void processText_replacesUrlsAndResolvesKnownMentions() {
    ProcessTextResponse response = process("hi @user_4 @nobody see http://a.example and https://b.example!");

    assertThat(response.getText()).isEqualTo("hi @user_4 @nobody see http://short-url/0 and http://short-url/1!");
    assertThat(response.getUrlsList()).extracting(Url::getExpandedUrl)
        .containsExactly("http://a.example", "https://b.example");
    assertThat(response.getUserMentionsList()).extracting(UserMention::getUserId).containsExactly(4L);
  }

  @Test
  void processText_plainText_stillCallsBothServices() {
    assertThat(process("just words").getText()).isEqualTo("just words");
    assertThat(shortenCalls).hasValue(1);
    assertThat(mentionCalls).hasValue(1);
  }

  @Test
  void processText_tooLong_isInvalidArgument() {
    assertThatThrownBy(() -> process("x".repeat(TextServiceImpl.MAX_TEXT_LENGTH + 1)))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessage("INVALID_ARGUMENT: text: text : 4097 characters (expected: 1..4096)");
  }
}
