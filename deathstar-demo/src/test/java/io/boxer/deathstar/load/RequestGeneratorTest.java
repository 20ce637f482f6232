package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.deathstar.app.TextEntities;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class RequestGeneratorTest {
  private static final FrontendRequests REQUESTS =
      new FrontendRequests(URI.create("http://10.0.0.2:8080"), Duration.ofSeconds(1));

  @Test
  void readUserTimeline_getsTenNewestOfAUserInRange() {
    RequestGenerator generator = new RequestGenerator(Workload.READ_USER_TIMELINE, REQUESTS, 50, new Random(1));
    for (int i = 0; i < 100; i++) {
      HttpRequest request = generator.next().request();
      assertThat(request.method()).isEqualTo("GET");
      assertThat(request.uri().getPath()).isEqualTo("/wrk2-api/user-timeline/read");
      assertThat(request.uri().getQuery()).matches("user_id=([0-9]|[1-4][0-9])&start=0&stop=10");
    }
  }

  @Test
  void follow_neverFollowsSelf() {
    RequestGenerator generator = new RequestGenerator(Workload.FOLLOW, REQUESTS, 2, new Random(2));
    for (int i = 0; i < 50; i++) {
      String body = body(generator.next().request());
      assertThat(body).isIn("user_id=0&followee_id=1", "user_id=1&followee_id=0");
    }
  }

  @Test
  void compose_textHasAtMostTwoMentionsAndTwoUrls_ofSeededUsers() {
    RequestGenerator generator = new RequestGenerator(Workload.COMPOSE_POST, REQUESTS, 300, new Random(3));
    for (int i = 0; i < 200; i++) {
      TextEntities entities = TextEntities.find(generator.text());
      assertThat(entities.mentions()).hasSizeLessThanOrEqualTo(2).allMatch(m -> m.matches("user_\\d+"));
      assertThat(entities.urls()).hasSizeLessThanOrEqualTo(2).allMatch(u -> u.startsWith("https://boxer.example/"));
    }
  }

  @Test
  void compose_postsTheDeathStarBenchForm() {
    HttpRequest request = new RequestGenerator(Workload.COMPOSE_POST, REQUESTS, 300, new Random(4)).next().request();

    assertThat(request.uri()).hasToString("http://10.0.0.2:8080/wrk2-api/post/compose");
    assertThat(request.headers().firstValue("Content-Type")).contains("application/x-www-form-urlencoded");
    String form = URLDecoder.decode(body(request), StandardCharsets.UTF_8);
    assertThat(form).containsPattern("^username=user_(\\d+)&user_id=\\1&text=.+&media_ids=\\[]&post_type=0$");
  }

  @Test
  void sameSeed_sameRequests() {
    RequestGenerator a = new RequestGenerator(Workload.MIX, REQUESTS, 300, new Random(5));
    RequestGenerator b = new RequestGenerator(Workload.MIX, REQUESTS, 300, new Random(5));
    for (int i = 0; i < 50; i++) {
      HttpRequest x = a.next().request();
      HttpRequest y = b.next().request();
      assertThat(x.uri()).isEqualTo(y.uri());
      assertThat(body(x)).isEqualTo(body(y));
    }
  }

  /** The body of a request built with BodyPublishers.ofString, or "" for none. */
  private static String body(HttpRequest request) {
    if (request.bodyPublisher().isEmpty()) {
      return "";
    }
    List<ByteBuffer> buffers = new ArrayList<>();
    request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        buffers.add(item);
      }

      @Override
      public void onError(Throwable throwable) {
        throw new AssertionError(throwable);
      }

      @Override
      public void onComplete() {}
    });
    StringBuilder out = new StringBuilder();
    for (ByteBuffer buffer : buffers) {
      out.append(StandardCharsets.UTF_8.decode(buffer));
    }
    return out.toString();
  }
}
