package io.boxer.examples.replicated;

import java.io.IOException;
import java.time.Duration;

/** A test's connection to a store, one line per request; null when the store closed instead of answering. */
final class StoreClient implements AutoCloseable {
  private final LineConnection connection;

  StoreClient(TestCluster cluster, long id) throws IOException {
    connection = LineConnection.open(cluster.address(id), Duration.ofSeconds(2), Duration.ofSeconds(20));
  }

  String request(String line) throws IOException {
    connection.writeLine(line);
    return connection.readLine();
  }

  @Override
  public void close() {
    connection.close();
  }
}
