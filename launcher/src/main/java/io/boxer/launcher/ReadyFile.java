package io.boxer.launcher;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.boxer.node.membership.Peer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The document {@code boxer run --ready-file PATH} writes once the node is a member and past its barrier, just
 * before the command starts: what a script or a test needs to go on, as data instead of a log line. JSON,
 * written atomically (a sibling file, then a rename), so whoever sees the file sees all of it:
 *
 * <pre>
 * {"id": 1796150198520000, "address": "198.18.0.101", "controlPort": 40000, "role": "member", "members": 3,
 *  "peers": [{"id": 1796150198520000, "address": "198.18.0.101", "controlPort": 40000, "role": "member"}, ...]}
 * </pre>
 *
 * {@code members} is the barrier ({@code --members}), absent without one; {@code peers} lists every member
 * known at that moment, this node included, by id, as the peers file does. Rewritten the same way after each
 * membership change while the command runs ({@link MembershipPublisher}).
 */
final class ReadyFile {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private ReadyFile() {}

  record Member(long id, String address, int controlPort, String role) {
    static Member of(Peer peer) {
      return new Member(peer.id(), peer.externalIp().getHostAddress(), peer.control().getPort(), peer.role());
    }
  }

  record Document(long id, String address, int controlPort, String role, Integer members, List<Member> peers) {}

  static String render(Peer self, Integer members, List<Peer> peers) {
    List<Member> sorted = peers.stream().sorted(Comparator.comparingLong(Peer::id)).map(Member::of).toList();
    Member me = Member.of(self);
    return GSON.toJson(new Document(me.id(), me.address(), me.controlPort(), me.role(), members, sorted)) + "\n";
  }

  /** Whether {@code path} can name a ready file: a file (not a directory) in a directory that exists. */
  static boolean isWritablePath(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    return dir != null && Files.isDirectory(dir) && !Files.isDirectory(path);
  }

  /** Removes a ready file left by an earlier run now, and this run's when closed: it describes a live node. */
  static Cleanup cleanup(Path path) throws IOException {
    if (path != null) {
      Files.deleteIfExists(path);
    }
    return () -> {
      if (path != null) {
        Files.deleteIfExists(path);
      }
    };
  }

  /** Removes the ready file. */
  interface Cleanup extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** Writes the document to {@code path}, replacing what was there in one step. */
  static void write(Path path, Peer self, Integer members, List<Peer> peers) throws IOException {
    AtomicFiles.writeString(path, render(self, members, peers));
  }
}
