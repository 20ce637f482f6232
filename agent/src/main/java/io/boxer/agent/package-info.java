/**
 * The Boxer {@code -javaagent} (paper section 4.5): it makes NAT hole punching transparent to unmodified JVM
 * applications.
 *
 * <h2>What is intercepted, and why</h2>
 * Exactly two static methods of one JDK class, {@code sun.nio.ch.Net} in java.base (signatures checked with
 * {@code javap -p -c --module java.base sun.nio.ch.Net} on JDK 17 and 25):
 * <ul>
 *   <li>{@code static int connect(ProtocolFamily, FileDescriptor, InetAddress, int)}: every JDK TCP connect
 *       ends here ({@code java.net.Socket} via NioSocketImpl, {@code SocketChannel} blocking and non-blocking,
 *       {@code socket().connect} via SocketAdaptor, asynchronous channels, virtual threads; the 3-argument
 *       overloads delegate to it). Before the kernel connect to a <em>member</em> address (an external ip of
 *       another cluster member, from the membership view the local node streams), the agent binds the socket
 *       if it is unbound (the remote node must know the local port), asks the local node to have the remote
 *       node prime its NAT for that port, and waits for the answer. PRIMED or NOT_MEMBER: the real connect
 *       proceeds. USE_RELAY (no direct path): the agent connects the socket to the node's relay endpoint on
 *       loopback instead, and the application's socket still reports the member's address
 *       ({@code docs/relay.md}, "The agent"). REFUSED: the connect fails at once with
 *       {@code ConnectException("Connection refused")}, as if the destination had sent a RST. Anything else:
 *       {@code ConnectException("Boxer: ...")}. Connects to any other address cost one volatile read and one
 *       hash lookup and no I/O.</li>
 *   <li>{@code static void bind(ProtocolFamily, FileDescriptor, InetAddress, int)}: every JDK bind ends here.
 *       TCP sockets get {@code SO_REUSEPORT} first, so the remote-side node can bind a temporary socket to the
 *       same port and prime its NAT from it. A bind to a port in use still fails with "Address already in use",
 *       as without Boxer: the kernel's socket tables ({@code /proc/net/tcp*}) are read first.</li>
 * </ul>
 * UDP ({@code DatagramChannelImpl} uses the same two methods) is left alone: the socket type is read with
 * {@code getsockopt(SO_TYPE)}, only on binds and on connects to members. Unix domain sockets use
 * {@code UnixDomainSockets}, not these methods. Data never flows through the agent: the application keeps its
 * own socket and its original remote address (a relayed connect's bytes flow through the node and the relay).
 *
 * <h2>Not intercepted</h2>
 * JDK 17 with {@code -Djdk.net.usePlainSocketImpl=true} ({@code java.net.Socket} then bypasses Net; the agent
 * warns), Netty's io_uring and kqueue transports and any other JNI networking. Netty's epoll transport is
 * covered by its own rewrite ({@code io.boxer.agent.netty}); non-blocking, asynchronous and epoll connects are
 * primed on an agent thread, never blocking their caller ({@code internal.DeferredConnects}).
 *
 * <h2>Structure</h2>
 * {@code boxer-agent-bootstrap.jar} ({@code io.boxer.agent.bootstrap}, boot class path only) ships next to
 * {@code boxer-agent.jar}, whose manifest names it in {@code Boot-Class-Path}: the JVM puts it on the boot class
 * path before premain, and no file is written per JVM. {@link io.boxer.agent.BoxerAgent} (premain) checks it is
 * there and calls {@code internal.AgentInstaller}, which registers one class transformer and returns. The first
 * time the JVM loads a class the agent rewrites (normally {@code InetAddress} or Net, when the application first
 * touches the network), the agent activates: it makes java.base read the boot loader's unnamed module, opens
 * {@code sun.nio.ch} to the agent (for method handles on Net's private socket option methods), installs the
 * {@code SocketHook}, rewrites that class with ASM ({@code io.boxer.agent.nio}, built on the typed hook specs of
 * {@code io.boxer.agent.rewrite}) and every later one as it loads, and starts the membership watcher. A JVM that
 * never touches the network loads no ASM and no JDK socket class because of Boxer. Nothing of protobuf is loaded at premain. ASM and protobuf are relocated under
 * {@code io.boxer.agent.shaded}.
 */
package io.boxer.agent;
