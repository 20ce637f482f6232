package io.boxer.examples.bulk;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;

/**
 * An ordinary bulk-transfer pair that knows nothing of Boxer, for throughput figures:
 * {@code BulkTransfer serve PORT} accepts connections one after another and reads each to its end, answering the
 * byte count; {@code BulkTransfer send HOST PORT MIB} connects, writes MIB mebibytes, half-closes and waits for the
 * count, then prints {@code bulk sentBytes=N elapsedMs=T mibPerSecond=R} and exits 0 (1 on a short count, 2 on a
 * usage error, 5 on an I/O error).
 */
public final class BulkTransfer {
  private static final int CHUNK = 64 * 1024;

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("serve")) {
      serve(Integer.parseInt(args[1]));
    } else if (args.length == 4 && args[0].equals("send")) {
      int mib = Integer.parseInt(args[3]);
      if (mib < 1 || mib > 100_000) {
        System.err.println("MIB : " + mib + " (expected: 1..100000)");
        System.exit(2);
      }
      System.exit(send(args[1], Integer.parseInt(args[2]), mib));
    } else {
      System.err.println("usage: BulkTransfer serve PORT | BulkTransfer send HOST PORT MIB");
      System.exit(2);
    }
  }

  private static void serve(int port) throws IOException {
    try (ServerSocket server = new ServerSocket(port)) {
      System.out.println("listening on " + port);
      byte[] buffer = new byte[CHUNK];
      while (true) {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          long total = 0;
          for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
          }
          new DataOutputStream(s.getOutputStream()).writeLong(total);
        } catch (IOException e) {
          System.out.println("transfer failed: " + e);
        }
      }
    }
  }

  private static int send(String host, int port, int mib) {
    byte[] chunk = new byte[CHUNK];
    long bytes = (long) mib << 20;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 10_000);
      long start = System.nanoTime();
      OutputStream out = s.getOutputStream();
      for (long left = bytes; left > 0; left -= CHUNK) {
        out.write(chunk, 0, (int) Math.min(CHUNK, left));
      }
      s.shutdownOutput();
      long counted = new DataInputStream(s.getInputStream()).readLong();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println(String.format(Locale.ROOT, "bulk sentBytes=%d elapsedMs=%d mibPerSecond=%.1f", counted,
          Math.round(seconds * 1000), mib / seconds));
      return counted == bytes ? 0 : 1;
    } catch (IOException e) {
      System.out.println("failed: " + e);
      return 5;
    }
  }
}
