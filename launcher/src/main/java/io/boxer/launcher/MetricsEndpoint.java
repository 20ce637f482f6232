package io.boxer.launcher;

import io.boxer.control.MetricsServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What {@code --metrics-port} gives a command ({@code run}, {@code seed}): a Prometheus registry served at
 * {@code /metrics}, or without the flag a registry that counts nothing and no server. Closing stops the server.
 */
final class MetricsEndpoint implements AutoCloseable {
  private final MeterRegistry registry;
  private final MetricsServer server; // null without a port

  private MetricsEndpoint(MeterRegistry registry, MetricsServer server) {
    this.registry = registry;
    this.server = server;
  }

  /** As {@link #start(InetAddress, Integer)} on every local address. */
  static MetricsEndpoint start(Integer port) throws IOException {
    return start(null, port);
  }

  /**
   * @param address the local address to serve on; null: all
   * @param port the port to serve on, or null for no endpoint
   * @throws IOException when the port cannot be bound; the message names it
   */
  static MetricsEndpoint start(InetAddress address, Integer port) throws IOException {
    if (port == null) {
      return new MetricsEndpoint(new CompositeMeterRegistry(), null);
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      return new MetricsEndpoint(prometheus, MetricsServer.start(new InetSocketAddress(address, port), prometheus::scrape));
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
  }

  MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
