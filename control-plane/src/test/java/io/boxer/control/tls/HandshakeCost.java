package io.boxer.control.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;

/**
 * What a mesh link's mutual TLS handshake costs in CPU, both ends in this one thread (no network): the
 * one-time set-up (cluster CA from a token, two member keys and certificates, the two contexts), then N
 * handshakes in a row, from a cold JVM as a node has. A benchmark to run by hand (docs/measurements.md),
 * not a test:
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp CLASSPATH io.boxer.control.tls.HandshakeCost 300
 * </pre>
 */
public final class HandshakeCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private HandshakeCost() {}

  public static void main(String[] args) throws Exception {
    int handshakes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    if (handshakes < 1 || handshakes > 100_000) {
      throw new IllegalArgumentException("HANDSHAKES : " + handshakes + " (expected: 1..100000)");
    }
    long start = cpuNanos();
    JoinToken token = JoinToken.parse("boxer_handshake-cost-token-0123456789abcdef");
    lap("the token (HKDF)");
    token.caPublicKey();
    lap("the CA public key, as a node derives it");
    ClusterCa ca = ClusterCa.fromToken(token);
    lap("the CA key pair, as the seed derives it");
    TlsIdentity server = TlsIdentity.generate();
    TlsIdentity client = TlsIdentity.generate();
    lap("two member key pairs (P-256)");
    server.install(ca.issueNode(1, InetAddress.getByName("198.18.0.101"), server.publicKey(), Duration.ofHours(1)));
    client.install(ca.issueNode(2, InetAddress.getByName("198.18.0.102"), client.publicKey(), Duration.ofHours(1)));
    lap("two member certificates");
    ClusterTrust trust = ClusterTrust.forToken(token);
    SslContext serverContext = TlsContexts.server(server, trust.trustManager(peer -> { }), ClientAuth.REQUIRE);
    lap("the trust and the first TLS context");
    SslContext clientContext = TlsContexts.client(client, trust.trustManager(peer -> { }));
    lap("the next TLS context");
    System.out.printf("set-up in all: %.1f ms CPU%n", (cpuNanos() - start) / 1e6);
    for (int i = 1; i <= handshakes; i++) {
      long before = cpuNanos();
      handshake(clientContext.newEngine(ByteBufAllocator.DEFAULT, "198.18.0.101", 7000),
          serverContext.newEngine(ByteBufAllocator.DEFAULT));
      if (i <= 3 || i == 15 || i == 30 || i % 100 == 0 || i == handshakes) {
        System.out.printf("handshake %d: %.1f ms CPU (both ends)%n", i, (cpuNanos() - before) / 1e6);
      }
    }
  }

  private static long lapStart = cpuNanos();

  private static void lap(String what) {
    long now = cpuNanos();
    System.out.printf("  %-42s %6.1f ms CPU%n", what, (now - lapStart) / 1e6);
    lapStart = now;
  }

  private static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
    ByteBuffer toServer = ByteBuffer.allocate(65536);
    ByteBuffer toClient = ByteBuffer.allocate(65536);
    ByteBuffer app = ByteBuffer.allocate(65536);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 100; round++) {
      step(client, toServer, toClient, app);
      step(server, toClient, toServer, app);
      if (done(client) && done(server)) {
        return;
      }
    }
    throw new IllegalStateException("the handshake did not finish in 100 rounds");
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  /** Runs one engine until it needs bytes the other has not sent yet. */
  private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws Exception {
    ByteBuffer nothing = ByteBuffer.allocate(0);
    while (true) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
          task.run();
        }
      } else if (status == HandshakeStatus.NEED_WRAP) {
        engine.wrap(nothing, out);
      } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
        in.flip();
        if (!in.hasRemaining() && status == HandshakeStatus.NEED_UNWRAP) {
          in.compact();
          return;
        }
        Status result = engine.unwrap(in, app).getStatus();
        in.compact();
        if (result == Status.BUFFER_UNDERFLOW) {
          return;
        }
      } else {
        return;
      }
    }
  }
}
