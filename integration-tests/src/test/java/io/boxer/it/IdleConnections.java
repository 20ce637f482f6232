package io.boxer.it;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Opens COUNT TCP connections to HOST:PORT that never send a byte and holds them for SECONDS. */
public final class IdleConnections {
  public static void main(String[] args) throws Exception {
    InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    int count = Integer.parseInt(args[2]);
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < Math.min(count, 5000); i++) {
      Socket s = new Socket();
      s.connect(target, 2000);
      sockets.add(s);
    }
    System.out.println("holding " + sockets.size());
    System.out.flush();
    Thread.sleep(Long.parseLong(args[3]) * 1000);
    for (Socket s : sockets) {
      s.close();
    }
  }

  private IdleConnections() {}
}
