package io.boxer.agent.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What an application's JVM does with the agent, in a few calls, so that a class list dumped from it
 * ({@code -XX:DumpLoadedClassList}) names the JDK classes the agent and its hooks load: a blocking, a channel and an
 * asynchronous connect over loopback (non-members, so the agent only checks them), and the membership watcher's
 * Unix-domain connect. Run by {@link ClassDataArchivePreparation} with the agent attached and BOXER_AGENT_SOCKET
 * pointing where nothing listens (argument 0: that path). Every step is bounded; exit 0 when all ran with the
 * agent's hooks installed, 3 when the agent did not start (its reason is on stderr): a list without the agent's
 * classes would make an archive that serves them to no one.
 */
public final class ClassDataWorkload {
  private static final int TIMEOUT_MILLIS = 10_000;
  /** Where premain installs the socket hook (the bootstrap jar, on the boot class path). */
  private static final String INSTALLED_HOOKS = "io.boxer.agent.bootstrap.InstalledHooks";

  private ClassDataWorkload() {}

  public static void main(String[] args) throws IOException, InterruptedException, ExecutionException,
      TimeoutException {
    if (args.length != 1) {
      System.err.println("ClassDataWorkload takes one argument: a Unix socket path where nothing listens");
      System.exit(2);
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 4, loopback)) {
      server.setSoTimeout(TIMEOUT_MILLIS);
      try (Socket client = new Socket()) {
        client.connect(server.getLocalSocketAddress(), TIMEOUT_MILLIS);
        try (Socket accepted = server.accept()) {
          accepted.setSoTimeout(TIMEOUT_MILLIS);
          client.getOutputStream().write(1);
          if (accepted.getInputStream().read() != 1) {
            throw new IOException("loopback echo lost its byte");
          }
        }
      }
    }
    try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept()) {
      client.write(ByteBuffer.wrap(new byte[] {1}));
      try (AsynchronousSocketChannel async = AsynchronousSocketChannel.open()) {
        async.connect(server.getLocalAddress()).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        server.accept().close();
      }
    }
    try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      unix.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
    } catch (IOException expected) {
      // refused or absent, as for the watcher before its node is up: the classes are loaded either way
    }
    if (!agentInstalled()) {
      System.err.println("the Boxer agent is not installed in this JVM (expected: -javaagent:boxer-agent.jar with "
          + "boxer-agent-bootstrap.jar next to it, and BOXER_AGENT_SOCKET set)");
      System.exit(3);
    }
  }

  private static boolean agentInstalled() {
    try {
      Field socket = Class.forName(INSTALLED_HOOKS, false, null).getDeclaredField("socket");
      socket.setAccessible(true); // the bootstrap jar's unnamed module is open
      return socket.get(null) != null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
