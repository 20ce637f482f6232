package io.boxer.deathstar.app;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the wall-clock time (epoch milliseconds) of the first call this instance answered successfully into a
 * file ({@code served.file}), once, written whole ({@link WholeFiles}). The burst scenario reads it
 * to tell when a new instance served its first request. Thread-safe.
 */
final class FirstServedRecorder implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(FirstServedRecorder.class);

  private final Path file;
  private final LongSupplier epochMillis;
  private final AtomicBoolean recorded = new AtomicBoolean();

  FirstServedRecorder(Path file, LongSupplier epochMillis) {
    this.file = file;
    this.epochMillis = epochMillis;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (status.isOk() && recorded.compareAndSet(false, true)) {
          write(epochMillis.getAsLong());
        }
        super.close(status, trailers);
      }
    }, headers);
  }

  private void write(long millis) {
    try {
      WholeFiles.write(file, millis + "\n");
    } catch (IOException e) {
      log.warn("Cannot record the first served call. file={}", file, e);
    }
  }
}
