package io.boxer.testing;

import io.grpc.stub.CallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A gRPC call's outbound side without a transport: hands messages to a consumer; readiness is switchable. */
public final class FakeCallStream<T> extends CallStreamObserver<T> {
  private final Consumer<T> receiver;
  private volatile boolean ready = true;
  private Runnable onReady = () -> {};
  public final List<Throwable> errors = new ArrayList<>();
  public volatile boolean completed;

  public FakeCallStream(Consumer<T> receiver) {
    this.receiver = receiver;
  }

  /** Makes the transport (not) ready; becoming ready runs the ready handler, as gRPC does. */
  public void setReady(boolean value) {
    ready = value;
    if (value) {
      onReady.run();
    }
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void setOnReadyHandler(Runnable handler) {
    onReady = handler;
  }

  @Override
  public void disableAutoInboundFlowControl() {}

  @Override
  public void request(int count) {}

  @Override
  public void setMessageCompression(boolean enable) {}

  @Override
  public void onNext(T value) {
    receiver.accept(value);
  }

  @Override
  public void onError(Throwable t) {
    errors.add(t);
  }

  @Override
  public void onCompleted() {
    completed = true;
  }
}
