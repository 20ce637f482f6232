package io.boxer.examples.echo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * What a port scan sees: {@code PortScan HOST FIRST LAST TIMEOUT_MS} connects to every port in FIRST..LAST
 * once and prints one summary line {@code scan ports=N open=A refused=B failed=C timeout=D elapsed_ms=E},
 * then {@code first-failure MESSAGE} if any attempt failed otherwise. Knows nothing of Boxer. Bounded: at
 * most 10,000 ports.
 */
public final class PortScan {
  public static void main(String[] args) {
    String host = args[0];
    int first = Integer.parseInt(args[1]);
    int last = Integer.parseInt(args[2]);
    int timeoutMs = Integer.parseInt(args[3]);
    if (last < first || last - first >= 10_000) {
      throw new IllegalArgumentException("FIRST..LAST : " + first + ".." + last + " (expected: at most 10000 ports)");
    }
    int open = 0;
    int refused = 0;
    int failed = 0;
    int timedOut = 0;
    String firstFailure = null;
    long start = System.nanoTime();
    for (int port = first; port <= last; port++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), timeoutMs);
        open++;
      } catch (SocketTimeoutException e) {
        timedOut++;
      } catch (ConnectException e) {
        if ("Connection refused".equals(e.getMessage())) {
          refused++;
        } else {
          failed++;
          firstFailure = firstFailure == null ? e.getMessage() : firstFailure;
        }
      } catch (IOException e) {
        failed++;
        firstFailure = firstFailure == null ? e.toString() : firstFailure;
      }
    }
    System.out.println("scan ports=" + (last - first + 1) + " open=" + open + " refused=" + refused + " failed="
        + failed + " timeout=" + timedOut + " elapsed_ms=" + (System.nanoTime() - start) / 1_000_000);
    if (firstFailure != null) {
      System.out.println("first-failure " + firstFailure);
    }
  }

  private PortScan() {}
}
