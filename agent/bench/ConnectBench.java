import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the agent on connects to NON-member addresses: N blocking loopback connects (connect, close with
 * RST; a thread accepts and closes), timed in one JVM. Run it with and without {@code -javaagent}; startup.sh does.
 *
 * <p>With {@code BOXER_AGENT_SOCKET} set, this program is also the agent's local node: it serves one
 * MembershipView of {@value #MEMBERS} member ips (198.18.x.y, never loopback) on that Unix socket, and waits
 * until the agent has read it, so every timed connect takes the agent's real non-member path (hash lookup in
 * the view) rather than the empty-view shortcut.
 *
 * <p>Usage: {@code java [-javaagent:agent/target/boxer-agent.jar] ConnectBench N}; prints
 * {@code connect.ns=<mean wall-clock ns per connect>}, {@code connect.cpu.ns=<mean CPU ns of the connecting
 * thread per connect>} (user + system: less sensitive to other load on the host) and {@code view=served|none}.
 * JDK-only.
 */
public final class ConnectBench {

  static final int MEMBERS = 64;

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    String socket = System.getenv("BOXER_AGENT_SOCKET");
    boolean agent = socket != null; // startup.sh sets it for the run with the agent only
    if (agent) {
      serveView(Path.of(socket));
    }
    try (ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (true) {
          try (Socket s = server.accept()) {
            // accepted: close at once
          } catch (IOException e) {
            return;
          }
        }
      }, "acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
      loop(target, Math.max(2000, n / 4)); // warm-up: JIT, caches
      java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpuStart = cpu.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      loop(target, n);
      long elapsed = System.nanoTime() - start;
      long cpuElapsed = cpu.getCurrentThreadCpuTime() - cpuStart;
      System.out.println("view=" + (agent ? "served" : "none"));
      System.out.println("connect.ns=" + elapsed / n);
      System.out.println("connect.cpu.ns=" + cpuElapsed / n);
    }
  }

  private static void loop(InetSocketAddress target, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      try (Socket s = new Socket()) {
        s.setSoLinger(true, 0); // close with RST: no TIME_WAIT pile-up to slow down later runs
        s.connect(target);
      }
    }
  }

  /** Accepts the agent's watch connection on {@code path} and sends it one view; returns once it is sent. */
  private static void serveView(Path path) throws Exception {
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    CountDownLatch sent = new CountDownLatch(1);
    Thread node = new Thread(() -> {
      try {
        SocketChannel ch = server.accept(); // kept open: the agent keeps its view while connected
        ch.read(ByteBuffer.allocate(64)); // the Watch request; its content does not matter here
        OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
        out.write(view());
        out.flush();
        sent.countDown();
        Thread.sleep(Long.MAX_VALUE);
      } catch (Exception e) {
        sent.countDown();
      }
    }, "fake-node");
    node.setDaemon(true);
    node.start();
    if (!sent.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the agent did not connect to " + path + " within 10 s");
    }
    Thread.sleep(200); // let the agent parse and publish the view
  }

  /** A length-delimited MembershipView{repeated bytes member_ips = 1}, encoded by hand. */
  private static byte[] view() {
    ByteBuffer body = ByteBuffer.allocate(MEMBERS * 6);
    for (int i = 0; i < MEMBERS; i++) {
      body.put((byte) 0x0a).put((byte) 4).put((byte) 198).put((byte) 18).put((byte) (i / 256)).put((byte) (i + 1));
    }
    int len = body.position();
    ByteBuffer all = ByteBuffer.allocate(len + 5);
    for (int v = len; ; v >>>= 7) { // varint length prefix
      if ((v & ~0x7f) == 0) {
        all.put((byte) v);
        break;
      }
      all.put((byte) ((v & 0x7f) | 0x80));
    }
    all.put(body.array(), 0, len);
    byte[] bytes = new byte[all.position()];
    all.flip().get(bytes);
    return bytes;
  }
}
