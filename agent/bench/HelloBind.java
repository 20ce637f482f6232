import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The networking hello world of startup.sh: binds one loopback server socket and closes it. The first socket
 * class it loads activates the agent (module edges, ASM, the rewrite of the JDK's socket classes, the membership
 * watcher), which a plain hello world never does.
 */
public final class HelloBind {
  public static void main(String[] args) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      System.out.println("bound " + server.getLocalPort());
    }
  }
}
