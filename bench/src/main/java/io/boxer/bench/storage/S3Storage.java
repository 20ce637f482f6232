package io.boxer.bench.storage;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The real AWS SDK v2 S3 client, pointed at an S3-compatible endpoint (the lab's s3proxy), that counts every HTTP
 * request it sends by method: the request count is the storage path's cost (S3 bills per request). Path-style
 * addressing, fixed credentials (the lab's server checks none). Thread-safe.
 */
final class S3Storage implements AutoCloseable {
  /** {@link #awaitComplete} gives up after this long. */
  static final long AWAIT_MILLIS = 600_000;

  private final S3Client client;
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

  S3Storage(URI endpoint) {
    client = S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        // s3proxy answers 501 to the newer flexible-checksum headers: send checksums only where S3 requires them
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            // once per attempt: a retried request is billed again
            requests.computeIfAbsent(context.httpRequest().method().name().toLowerCase(Locale.ROOT),
                m -> new LongAdder()).increment();
          }
        }))
        .build();
  }

  S3Client client() {
    return client;
  }

  /** Creates {@code bucket} unless this account has it already. */
  void ensureBucket(String bucket) {
    try {
      client.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException e) {
      // another worker made it first
    } catch (S3Exception e) {
      if (e.statusCode() != 409) {
        throw e;
      }
    }
  }

  /** An object once complete: its body and user metadata, and how many GETs found it missing or incomplete. */
  record Complete(byte[] body, Map<String, String> metadata, long emptyPolls) {}

  /** An object a GET may show before it is complete: {@code complete} says, from its body and user metadata. */
  interface Completeness {
    boolean test(byte[] body, Map<String, String> metadata);
  }

  /**
   * GETs {@code key} every {@code pollMillis} until it is there and complete (s3proxy's filesystem store shows an
   * object before its metadata is written), for at most {@link #AWAIT_MILLIS}.
   */
  Complete awaitComplete(String bucket, String key, Completeness complete, int pollMillis)
      throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + AWAIT_MILLIS;
    long polls = 0;
    while (System.currentTimeMillis() < deadline) {
      try {
        ResponseBytes<GetObjectResponse> object = client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        byte[] body = object.asByteArray();
        Map<String, String> metadata = object.response().metadata();
        if (complete.test(body, metadata)) {
          return new Complete(body, metadata, polls);
        }
      } catch (NoSuchKeyException e) {
        // not there yet
      }
      polls++;
      Thread.sleep(pollMillis);
    }
    throw new IOException("object " + bucket + "/" + key + " not complete within " + AWAIT_MILLIS / 1000 + " s");
  }

  /** Requests sent so far, by HTTP method in lower case (get, put, head, ...). */
  Map<String, Long> requests() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    requests.forEach((method, n) -> counts.put(method, n.sum()));
    return counts;
  }

  @Override
  public void close() {
    client.close();
  }
}
