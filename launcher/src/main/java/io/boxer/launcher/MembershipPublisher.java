package io.boxer.launcher;

import io.boxer.node.membership.Peer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the running command every member list, from its start to its exit: rewrites the peers file and, if
 * there is one, the ready file (each atomically: a reader sees the old list or the new one, never part of a
 * file), then hands the list to the {@code --on-change} hook, if there is one, which runs it on its own thread.
 * Members join and leave at any time after the barrier: the command learns of each change here.
 *
 * <p>Thread: {@link #publish} is called in the order the changes happened (a membership listener: under the
 * member table's lock), so the files always end with the newest list; after {@link #close} it writes nothing.
 */
final class MembershipPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MembershipPublisher.class);

  private final PeersFile peers;
  private final Path readyFile;
  private final Peer self;
  private final Integer barrier;
  private final ChangeHook hook;
  private volatile boolean closed;

  /**
   * @param readyFile the ready file, or null for none
   * @param barrier {@code --members} for the ready file, or null
   * @param hook the {@code --on-change} hook, or null for none; closed with this publisher
   */
  MembershipPublisher(PeersFile peers, Path readyFile, Peer self, Integer barrier, ChangeHook hook) {
    this.peers = peers;
    this.readyFile = readyFile;
    this.self = self;
    this.barrier = barrier;
    this.hook = hook;
  }

  /** Writes the list the command starts with; the caller gives up if this fails. */
  void publishFirst(List<Peer> members) throws IOException {
    try {
      peers.write(members);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    if (readyFile != null) {
      ReadyFile.write(readyFile, self, barrier, members);
    }
  }

  /** A later list: written, then handed to the hook; a write that fails is logged, the next change retries. */
  synchronized void publish(List<Peer> members) {
    if (closed) {
      return;
    }
    try {
      publishFirst(members);
    } catch (IOException e) {
      log.warn("Could not rewrite the member list for the command. reason={}", e.toString());
    }
    if (hook != null) {
      hook.changed(members);
    }
  }

  /** Stops publishing (the command has exited); stops the hook, killing a hook still running. */
  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      closed = true;
    }
    if (hook != null) {
      hook.close();
    }
  }
}
