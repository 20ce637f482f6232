package io.boxer.invoker;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * A {@link LambdaAsyncClient} on its own Netty HTTP client and event loops, sized for {@code count} invocations in
 * flight at once. Owns all three and closes them, in reverse order, in {@link #close()}. Credentials come from the
 * SDK's default provider chain (system properties, environment, profile, container, instance role).
 */
final class LambdaConnection implements AutoCloseable {
  /**
   * How long one invocation may take: Lambda's 15-minute maximum function timeout and a margin for the cold start
   * and the response. Also the socket read timeout, since a RequestResponse call is silent until the function ends.
   */
  static final Duration CALL_TIMEOUT = Duration.ofMinutes(15).plusSeconds(30);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final SdkEventLoopGroup eventLoops;
  private final SdkAsyncHttpClient httpClient;
  private final LambdaAsyncClient client;

  private LambdaConnection(SdkEventLoopGroup eventLoops, SdkAsyncHttpClient httpClient, LambdaAsyncClient client) {
    this.eventLoops = eventLoops;
    this.httpClient = httpClient;
    this.client = client;
  }

  /**
   * The region given, else the one the SDK's default chain finds (aws.region, AWS_REGION, the profile, the
   * instance metadata).
   *
   * @throws IllegalArgumentException if none is given and the chain finds none
   */
  static Region region(String given) {
    if (given != null) {
      return Region.of(given);
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      throw new IllegalArgumentException("--region : not given and the default chain found none (expected: "
          + "--region, or AWS_REGION, or a region in the AWS profile)");
    }
  }

  /**
   * Opens the client. Nothing is sent until an invocation.
   *
   * @param endpoint the Lambda endpoint, or null for the region's
   * @param inFlight invocations that must be able to run at once: one HTTP/1.1 connection each, since a
   *     RequestResponse invocation holds its connection until the function ends
   */
  static LambdaConnection open(Region region, URI endpoint, int inFlight) {
    SdkEventLoopGroup eventLoops = SdkEventLoopGroup.builder()
        .numberOfThreads(Math.min(inFlight, 2 * Runtime.getRuntime().availableProcessors()))
        .build();
    SdkAsyncHttpClient httpClient = null;
    try {
      httpClient = NettyNioAsyncHttpClient.builder()
          .eventLoopGroup(eventLoops) // not closed by the HTTP client: shut down in close() below
          .protocol(Protocol.HTTP1_1)
          .maxConcurrency(inFlight)
          .maxPendingConnectionAcquires(inFlight)
          .connectionTimeout(CONNECT_TIMEOUT)
          // with a connection per invocation nothing waits for another's; but when connects are refused the pool
          // now and then leaves one acquire waiting (Netty 4.1 and 4.2 alike): this bounds that wait
          .connectionAcquisitionTimeout(CONNECT_TIMEOUT.plusSeconds(5))
          .readTimeout(CALL_TIMEOUT)
          // long silent connections: keepalive probes keep NATs and load balancers on the way from dropping them
          .tcpKeepAlive(true)
          .build();
      var builder = LambdaAsyncClient.builder()
          .httpClient(httpClient)
          .region(region)
          .overrideConfiguration(ClientOverrideConfiguration.builder()
              .apiCallTimeout(CALL_TIMEOUT)
              .apiCallAttemptTimeout(CALL_TIMEOUT)
              // a retried invocation could start a second member of the cluster; each failure is reported instead
              .retryStrategy(AwsRetryStrategy.doNotRetry())
              .build());
      if (endpoint != null) {
        builder.endpointOverride(endpoint);
      }
      return new LambdaConnection(eventLoops, httpClient, builder.build());
    } catch (RuntimeException e) {
      if (httpClient != null) {
        httpClient.close();
      }
      shutDown(eventLoops);
      throw e;
    }
  }

  LambdaAsyncClient client() {
    return client;
  }

  /** Closes the client, its HTTP client, then the event loops, and waits until their threads are gone. */
  @Override
  public void close() {
    try {
      client.close();
    } finally {
      try {
        httpClient.close();
      } finally {
        shutDown(eventLoops);
      }
    }
  }

  private static void shutDown(SdkEventLoopGroup eventLoops) {
    // no quiet period: every channel is closed by now, and a CLI should not linger
    eventLoops.eventLoopGroup().shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
