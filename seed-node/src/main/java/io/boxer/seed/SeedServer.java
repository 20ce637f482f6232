package io.boxer.seed;

import io.boxer.control.CallerInterceptor;
import io.boxer.control.GrpcLifecycle;
import io.boxer.control.Liveness;
import io.boxer.control.ServerLimits;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.control.tls.TlsContexts;
import io.boxer.control.tls.TlsIdentity;
import io.grpc.Server;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed process's server: the rendezvous every node joins through, over TLS with a certificate its CA
 * issues to itself at start. It carries no application or mesh traffic; once the mesh is up the cluster works
 * without it. Owns one scheduler thread (heartbeats, silence checks, join deadlines). Start once, close once.
 */
public final class SeedServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SeedServer.class);
  /** The seed's own certificate lives as long as a seed plausibly runs; a restart issues a new one. */
  private static final Duration SEED_CERT_TTL = Duration.ofDays(365);

  private final SeedRegistry registry;
  private final Server server;
  private final ScheduledExecutorService scheduler;
  private final RelayServer relay; // null: no relay

  /** Builds (without starting) a seed that counts nothing; see {@link #SeedServer(SeedConfig, MeterRegistry)}. */
  public SeedServer(SeedConfig config) throws IOException {
    this(config, new CompositeMeterRegistry()); // a registry with no backend
  }

  /**
   * Builds (without starting) a seed that counts what it does in {@code metrics} (see {@link SeedMetrics}); the
   * TLS setup happens here, the port is bound by {@link #start()}.
   */
  public SeedServer(SeedConfig config, MeterRegistry metrics) throws IOException {
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "boxer-seed-ticks");
      t.setDaemon(true);
      return t;
    });
    SeedMetrics seedMetrics = new SeedMetrics(metrics);
    RelaySessions relaySessions = config.relayPort() == SeedConfig.NO_RELAY ? null : new RelaySessions();
    this.relay = relaySessions == null ? null : new RelayServer(
        new InetSocketAddress(config.bind().getAddress(), config.relayPort()), relaySessions, seedMetrics);
    this.registry = new SeedRegistry(config.ca(), config.certTtl(), config.policy(),
        new IdAllocator(System::currentTimeMillis), seedMetrics, relaySessions, this::relayPort,
        config.virtualRange());
    TlsIdentity identity = TlsIdentity.generate();
    identity.install(config.ca().issueSeed(identity.publicKey(), SEED_CERT_TTL));
    // a client certificate is optional (a first join has none); if one is presented it must be a member's
    var clients = config.ca().trust().trustManager(peer -> {
      if (peer.kind() != CertifiedIdentity.Kind.NODE) {
        throw new CertificateException("a " + peer.kind() + " certificate cannot join as a member");
      }
    });
    this.server = ServerLimits.SEED.apply(NettyServerBuilder.forAddress(config.bind()))
        .sslContext(TlsContexts.server(identity, clients, ClientAuth.OPTIONAL))
        .addService(ServerInterceptors.intercept(new SeedService(registry, config.token(), scheduler),
            new CallerInterceptor()))
        .build();
  }

  /** @throws IOException if the port cannot be bound */
  public SeedServer start() throws IOException {
    if (relay != null) {
      relay.start();
    }
    try {
      server.start();
    } catch (IOException e) {
      if (relay != null) {
        relay.close();
      }
      throw e;
    }
    long interval = Liveness.HEARTBEAT_INTERVAL.toMillis();
    scheduler.scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      registry.tick(now);
      if (relay != null) {
        relay.tick(now);
      }
    }, Liveness.millisToNextBeat(System.currentTimeMillis()), interval, TimeUnit.MILLISECONDS); // on the members' beat
    log.info("Seed listening. addr={} tls={}", server.getListenSockets(), TlsContexts.implementation());
    return this;
  }

  /** The bound port (useful when started with port 0). */
  public int port() {
    return server.getPort();
  }

  /** The relay's bound port, or 0 for a seed without a relay (or before {@link #start()}). */
  public int relayPort() {
    return relay == null || !relay.started() ? 0 : relay.port();
  }

  /** The number of current members. */
  public int members() {
    return registry.size();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws InterruptedException {
    GrpcLifecycle.shutdown(server);
    if (relay != null) {
      relay.close();
    }
    scheduler.shutdownNow();
    scheduler.awaitTermination(2, TimeUnit.SECONDS);
  }
}
