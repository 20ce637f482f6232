package io.boxer.examples.replicated;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A TCP server for tests that answers each line with {@code answer.apply(line)}, or never answers when that is
 * null (a frozen replica). Accepts on a daemon thread until closed.
 */
final class FakeServer implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  final List<String> received = new CopyOnWriteArrayList<>();

  FakeServer(UnaryOperator<String> answer) throws IOException {
    server = new ServerSocket(0);
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          Socket socket = server.accept();
          accepted.add(socket);
          Thread session = new Thread(() -> serve(socket, answer));
          session.setDaemon(true);
          session.start();
        }
      } catch (IOException e) {
        // closed
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void serve(Socket socket, UnaryOperator<String> answer) {
    try (socket;
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        received.add(line);
        String reply = answer.apply(line);
        if (reply != null) {
          out.println(reply);
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}
