package io.boxer.bench.paper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The receiving end of every measurement, an iperf-like server on two ports: on the data port each connection
 * carries one {@link Wire} request (bulk either way, or ping-pong); on the first-byte port each connection gets
 * one byte at once and is closed. One thread per connection, at most {@link #MAX_CONNECTIONS} at a time (more are
 * closed at once); every socket read times out after {@link #READ_TIMEOUT_MILLIS}. Runs until {@code maxSeconds}
 * have passed or the process is stopped.
 */
final class BenchServer {
  static final int MAX_CONNECTIONS = 256;
  static final int READ_TIMEOUT_MILLIS = 60_000;

  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bench-server-connection");
    t.setDaemon(true);
    return t;
  });

  /** Serves on {@code dataPort} and {@code firstBytePort} for {@code maxSeconds}, then returns. */
  void serve(int dataPort, int firstBytePort, long maxSeconds) throws IOException, InterruptedException {
    serve(new ServerSocket(dataPort, 512), new ServerSocket(firstBytePort, 512), maxSeconds);
  }

  /** Serves on two bound sockets, which it closes, for {@code maxSeconds} (tests pass ephemeral ones). */
  void serve(ServerSocket data, ServerSocket firstByte, long maxSeconds) throws IOException, InterruptedException {
    int dataPort = data.getLocalPort();
    int firstBytePort = firstByte.getLocalPort();
    try (data; firstByte) {
      Thread firstByteLoop = new Thread(() -> accept(firstByte, BenchServer::firstByte), "bench-server-first-byte");
      firstByteLoop.setDaemon(true);
      firstByteLoop.start();
      Thread dataLoop = new Thread(() -> accept(data, BenchServer::data), "bench-server-data");
      dataLoop.setDaemon(true);
      dataLoop.start();
      System.out.println("{\"ready\": \"server\", \"dataPort\": " + dataPort + ", \"firstBytePort\": " + firstBytePort + "}");
      System.out.flush();
      dataLoop.join(maxSeconds * 1000);
    } finally {
      workers.shutdownNow();
    }
  }

  private interface Handler {
    void handle(Socket socket) throws IOException;
  }

  private void accept(ServerSocket server, Handler handler) {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed: the server is done
      }
      if (!slots.tryAcquire()) {
        close(socket);
        continue;
      }
      workers.execute(() -> {
        try (socket) {
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(READ_TIMEOUT_MILLIS);
          handler.handle(socket);
        } catch (IOException | RuntimeException e) {
          System.err.println("bench-server: connection from " + socket.getRemoteSocketAddress() + " failed: " + e);
        } finally {
          slots.release();
        }
      });
    }
  }

  private static void firstByte(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(1);
    out.flush();
    socket.shutdownOutput();
    // wait for the client's close so that the client, not the server, holds the TIME_WAIT state
    socket.getInputStream().read();
  }

  private static void data(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    Wire mode = Wire.of(in.read());
    int argument = in.readInt();
    if (argument < 1 || argument > Wire.MAX_ARGUMENT) {
      throw new IOException("argument : " + argument + " (expected: 1.." + Wire.MAX_ARGUMENT + ")");
    }
    switch (mode) {
      case FORWARD -> out.writeLong(drain(in, argument + READ_TIMEOUT_MILLIS));
      case REVERSE -> stream(out, argument);
      case PING_PONG -> echo(in, out, argument);
    }
    out.flush();
  }

  /** Reads until the client shuts its output (or {@code maxMillis} pass); returns the bytes read. */
  private static long drain(InputStream in, long maxMillis) throws IOException {
    byte[] buffer = new byte[Wire.CHUNK_BYTES];
    long total = 0;
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("forward transfer still running after " + maxMillis + " ms");
      }
    }
    return total;
  }

  private static void stream(OutputStream out, int millis) throws IOException {
    byte[] chunk = new byte[Wire.CHUNK_BYTES];
    long end = System.nanoTime() + millis * 1_000_000L;
    try {
      while (System.nanoTime() - end < 0) {
        out.write(chunk);
      }
    } catch (SocketException e) {
      // the client stopped reading early: its figures say so, nothing to add here
    }
  }

  private static void echo(DataInputStream in, OutputStream out, int roundTrips) throws IOException {
    byte[] message = new byte[Wire.PING_BYTES];
    for (int i = 0; i < roundTrips; i++) {
      in.readFully(message);
      out.write(message);
      out.flush();
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do: it was refused anyway
    }
  }
}
