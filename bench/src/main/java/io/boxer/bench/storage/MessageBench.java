package io.boxer.bench.storage;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One message of a given size from one function to another, over storage or over a direct connection: the
 * sender stamps each message with the wall clock ({@link WallClock}) and sends one every interval; the receiver
 * takes the message in full and records now minus the stamp. Over S3 the receiver polls for the next object
 * (a GET that finds nothing is a request too, and is counted); over TCP each message is a fresh connection
 * (through Boxer: a prime and a connect) unless told to reuse one.
 */
final class MessageBench {
  private static final String META_SENT = "sent-micros";

  private MessageBench() {}

  static void sendS3(URI endpoint, String bucket, String run, int count, int size, int intervalMillis)
      throws InterruptedException {
    byte[] payload = payload(size);
    try (S3Storage s3 = new S3Storage(endpoint)) {
      s3.ensureBucket(bucket);
      long start = System.currentTimeMillis() + intervalMillis;
      for (int i = 0; i < count; i++) {
        WallClock.sleepUntil(start + (long) i * intervalMillis);
        String sent = Long.toString(WallClock.micros());
        String key = key(run, i);
        s3.client().putObject(b -> b.bucket(bucket).key(key).metadata(Map.of(META_SENT, sent)),
            RequestBody.fromBytes(payload));
      }
      Results.print(Map.of("bench", "message", "side", "send", "path", "s3", "count", count, "bytes", size,
          "requests", s3.requests()));
    }
  }

  static void receiveS3(URI endpoint, String bucket, String run, int count, int size, int warmup, int pollMillis)
      throws IOException, InterruptedException {
    double[] latencies = new double[count];
    long polls = 0;
    try (S3Storage s3 = new S3Storage(endpoint)) {
      s3.ensureBucket(bucket);
      for (int i = 0; i < count; i++) {
        S3Storage.Complete object = s3.awaitComplete(bucket, key(run, i),
            (body, metadata) -> metadata.get(META_SENT) != null && body.length == size, pollMillis);
        latencies[i] = WallClock.micros() - Long.parseLong(object.metadata().get(META_SENT));
        polls += object.emptyPolls();
      }
      Results.print(Map.of("bench", "message", "side", "receive", "path", "s3", "count", count,
          "warmup", warmup, "latencyMicros", measured(latencies, warmup), "emptyPolls", polls,
          "requests", s3.requests()));
    }
  }

  static void sendTcp(String host, int port, int count, int size, int intervalMillis, boolean reuse)
      throws IOException, InterruptedException {
    byte[] payload = payload(size);
    long start = System.currentTimeMillis() + intervalMillis;
    Socket shared = reuse ? connect(host, port) : null;
    try {
      for (int i = 0; i < count; i++) {
        WallClock.sleepUntil(start + (long) i * intervalMillis);
        long sent = WallClock.micros();
        Socket socket = reuse ? shared : connect(host, port);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeLong(sent);
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
        if (!reuse) {
          socket.getInputStream().read(); // the receiver's one-byte ack: the message is in before we close
          socket.close();
        }
      }
    } finally {
      if (shared != null) {
        shared.close();
      }
    }
    Results.print(Map.of("bench", "message", "side", "send", "path", reuse ? "tcp-reused" : "tcp", "count", count,
        "bytes", size));
  }

  static void receiveTcp(int port, int count, int warmup, boolean reuse) throws IOException {
    double[] latencies = new double[count];
    try (ServerSocket server = TcpListener.bind(port)) {
      System.out.println("{\"listening\": " + port + "}");
      System.out.flush();
      Socket shared = reuse ? server.accept() : null;
      for (int i = 0; i < count; i++) {
        Socket socket = reuse ? shared : server.accept();
        socket.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        long sent = in.readLong();
        int length = in.readInt();
        if (length < 0 || length > 64 << 20) {
          throw new IOException("message length : " + length + " (expected: 0..64 MiB)");
        }
        in.readFully(new byte[length]);
        latencies[i] = WallClock.micros() - sent;
        if (!reuse) {
          socket.getOutputStream().write(1);
          drain(socket.getInputStream());
          socket.close();
        }
      }
      if (shared != null) {
        shared.close();
      }
    }
    Results.print(Map.of("bench", "message", "side", "receive", "path", reuse ? "tcp-reused" : "tcp",
        "count", count, "warmup", warmup, "latencyMicros", measured(latencies, warmup)));
  }

  /** Connects; a refusal is tried again for up to 30 s (the receiver's program may start after the barrier). */
  private static Socket connect(String host, int port) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        return socket;
      } catch (java.net.ConnectException e) {
        socket.close();
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Waits for the sender's close, so the sender's side, not ours, holds TIME_WAIT. */
  private static void drain(InputStream in) throws IOException {
    while (in.read() >= 0) {
      // nothing more is sent
    }
  }

  /** The latencies after the first {@code warmup} (cold JVMs, clients and connections on either side). */
  private static Stats measured(double[] latencies, int warmup) {
    return Stats.of(java.util.Arrays.copyOfRange(latencies, warmup, latencies.length));
  }

  private static byte[] payload(int size) {
    byte[] payload = new byte[size];
    ThreadLocalRandom.current().nextBytes(payload);
    return payload;
  }

  private static String key(String run, int i) {
    return "message/" + run + "/" + i;
  }
}
