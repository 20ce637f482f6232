package io.boxer.netlab.wan;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

/**
 * One nfnetlink socket bound to one NFQUEUE queue in the network namespace of the thread that opened it (a
 * netlink socket belongs to the namespace it was created in, for its whole life). Verdicts may be sent from
 * any thread ({@link #acceptUpTo}, {@link #drop}, serialized on this object); {@link #receive} is for one
 * reader thread only. The kernel flushes (drops) the packets still queued when the process ends.
 */
final class NfQueueSocket implements Verdicts {
  /** Bytes of receive buffer: a burst of metadata-only notifications fits many thousand times over. */
  private static final int RECEIVE_BUFFER = 4 << 20;
  private static final int MESSAGE_BUFFER = 64 << 10;

  private final int fd;
  private final int queue;
  private final ByteBuffer in = NfQueueMessages.buffer(MESSAGE_BUFFER);
  private final ByteBuffer out = NfQueueMessages.buffer(256); // guarded by this

  private NfQueueSocket(int fd, int queue) {
    this.fd = fd;
    this.queue = queue;
  }

  /**
   * Moves the calling thread into network namespace {@code netnsPath} (e.g. {@code /run/netns/boxer-3fa2-vm1})
   * for good, then opens a socket there bound to {@code queue}, copying metadata only, holding at most
   * {@code maxLength} packets.
   *
   * @throws IllegalStateException naming the namespace and the step that failed
   */
  static NfQueueSocket openIn(String netnsPath, int queue, int maxLength) {
    try {
      int ns = LibC.open(netnsPath, LibC.O_RDONLY | LibC.O_CLOEXEC);
      try {
        LibC.setns(ns, LibC.CLONE_NEWNET);
      } finally {
        LibC.close(ns);
      }
    } catch (LastErrorException e) {
      throw new IllegalStateException("cannot enter network namespace " + netnsPath + ": errno " + e.getErrorCode(),
          e);
    }
    int fd;
    try {
      fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_NETFILTER);
    } catch (LastErrorException e) {
      throw new IllegalStateException("cannot open an nfnetlink socket in " + netnsPath + ": errno "
          + e.getErrorCode(), e);
    }
    NfQueueSocket socket = new NfQueueSocket(fd, queue);
    try {
      socket.setUp(maxLength);
      return socket;
    } catch (RuntimeException e) {
      LibC.close(fd);
      throw new IllegalStateException("cannot bind NFQUEUE " + queue + " in " + netnsPath + ": " + e.getMessage(), e);
    }
  }

  private void setUp(int maxLength) {
    byte[] address = new byte[12]; // struct sockaddr_nl: family, pad, pid 0 (kernel picks), groups 0
    address[0] = (byte) LibC.AF_NETLINK;
    LibC.bind(fd, address, address.length);
    LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, new int[] {RECEIVE_BUFFER}, 4);
    synchronized (this) {
      NfQueueMessages.bind(out, queue, 1);
      sendAndAwaitAck();
      NfQueueMessages.configure(out, queue, maxLength, 2);
      sendAndAwaitAck();
    }
    // receive() returns every 200 ms even when no packet comes, so its thread can notice a stop
    LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, new long[] {0, 200_000}, 16);
  }

  private void sendAndAwaitAck() {
    LibC.send(fd, out, out.remaining(), 0);
    in.clear();
    long n = LibC.recv(fd, in, in.capacity(), 0);
    in.limit((int) n);
    NfQueueMessages.read(in, id -> { }); // throws on a non-zero error
  }

  /**
   * Waits up to 200 ms for notifications and hands each queued packet's id to {@code ids}.
   *
   * @return false if nothing came in time; true otherwise
   * @throws NotificationsLostException if the kernel dropped notifications because this socket's buffer was full
   *     (those packets stay queued until a later batch verdict releases them)
   */
  boolean receive(LongConsumer ids) {
    in.clear();
    long n;
    try {
      n = LibC.recv(fd, in, in.capacity(), 0);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINTR) {
        return false;
      }
      if (e.getErrorCode() == LibC.ENOBUFS) {
        throw new NotificationsLostException();
      }
      throw new IllegalStateException("nfnetlink recv failed: errno " + e.getErrorCode(), e);
    }
    in.limit((int) n);
    NfQueueMessages.read(in, ids);
    return true;
  }

  @Override
  public synchronized void acceptUpTo(long id) {
    NfQueueMessages.acceptUpTo(out, queue, id);
    LibC.send(fd, out, out.remaining(), 0);
  }

  @Override
  public synchronized void drop(long id) {
    NfQueueMessages.drop(out, queue, id);
    LibC.send(fd, out, out.remaining(), 0);
  }

  /** The kernel could not deliver some notifications (ENOBUFS): counted, never fatal. */
  static final class NotificationsLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotificationsLostException() {
      super("nfnetlink notifications lost (receive buffer full)", null, false, false);
    }
  }
}
