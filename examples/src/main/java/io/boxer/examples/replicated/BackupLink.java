package io.boxer.examples.replicated;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * The primary's connection to one backup's store. It opens with the whole table ({@code SNAPSHOT <n>}, then n
 * lines {@code <version> <key> <value>}, answered {@code ACK <n>}), then carries one
 * {@code REPLICATE <version> <key> <value>} per write, answered {@code ACK <version>}. Each answer is awaited
 * for at most the read timeout; any other answer is an IOException.
 *
 * <p>Used by one thread at a time (under the primary's lock); {@link #close} may come from any thread and ends
 * a wait for an answer at once.
 */
final class BackupLink {
  private final LineConnection connection;

  private BackupLink(LineConnection connection) {
    this.connection = connection;
  }

  static BackupLink connect(InetSocketAddress backup, Duration connectTimeout, Duration readTimeout)
      throws IOException {
    return new BackupLink(LineConnection.open(backup, connectTimeout, readTimeout));
  }

  void sendSnapshot(Map<String, Table.Entry> entries) throws IOException {
    connection.write("SNAPSHOT " + entries.size());
    for (Map.Entry<String, Table.Entry> e : entries.entrySet()) {
      connection.write(e.getValue().version() + " " + e.getKey() + " " + e.getValue().value());
    }
    connection.flush();
    expect(connection.readLine(), "ACK " + entries.size());
  }

  void replicate(long version, String key, String value) throws IOException {
    expect(connection.request("REPLICATE " + version + " " + key + " " + value), "ACK " + version);
  }

  private static void expect(String answer, String expected) throws IOException {
    if (!expected.equals(answer)) {
      throw new IOException("answered " + answer + " (expected: " + expected + ")");
    }
  }

  void close() {
    connection.close();
  }
}
