package io.boxer.seed;

import io.boxer.control.relay.RelayWire;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The relay's sessions that are not connected yet: one per relay request, each with a ticket for either member.
 * A ticket is good once, from its member's external address, for {@link #TICKET_TTL}; the table is bounded in
 * all and per requesting member. Once both ends have connected, the session leaves the table (the relay's two
 * channels carry it). Thread-safe: every method is serialized on this object.
 */
final class RelaySessions {
  static final Duration TICKET_TTL = Duration.ofSeconds(10);
  static final int MAX_PENDING = 4096;
  static final int MAX_PENDING_PER_MEMBER = 256;
  /**
   * How long the requester's end of a declined session stays open: long enough for the requester to hear why on
   * its seed session before the relay closes its connection (which alone would say less).
   */
  static final Duration DECLINED_LINGER = Duration.ofSeconds(1);

  /** Why a relay request or a ticket was turned down; {@code message} goes to logs and to the requester. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** A session's two tickets, to hand out. */
  record Tickets(long sessionId, byte[] requester, byte[] peer) {}

  /** A session whose request the seed still has to answer if the peer declines: who asked, and with which id. */
  record Requester(long memberId, long requestId) {}

  private static final class Session {
    final long id;
    final long requesterId;
    final long requestId;
    final long peerId;
    long expiresAtNanos;
    final ByteBuffer[] tickets = new ByteBuffer[2];
    final InetAddress[] ips = new InetAddress[2];
    Channel waiting;

    Session(long id, long requesterId, long requestId, long peerId, long expiresAtNanos) {
      this.id = id;
      this.requesterId = requesterId;
      this.requestId = requestId;
      this.peerId = peerId;
      this.expiresAtNanos = expiresAtNanos;
    }
  }

  private final Map<Long, Session> byId = new HashMap<>();
  private final Map<ByteBuffer, Session> byTicket = new HashMap<>();
  private final Map<Long, Integer> pendingPerMember = new HashMap<>();
  private long nextId = 1;

  /**
   * Opens a session from member {@code requesterId} (at {@code requesterIp}) to {@code peerId} (at {@code peerIp}).
   *
   * @throws Refused when the table or the requester's share of it is full
   */
  synchronized Tickets open(long requesterId, InetAddress requesterIp, long requestId, long peerId,
      InetAddress peerIp, long now) throws Refused {
    if (byId.size() >= MAX_PENDING) {
      throw new Refused("the seed's relay has " + MAX_PENDING + " sessions waiting to connect");
    }
    int mine = pendingPerMember.getOrDefault(requesterId, 0);
    if (mine >= MAX_PENDING_PER_MEMBER) {
      throw new Refused("member " + requesterId + " has " + MAX_PENDING_PER_MEMBER + " relay sessions waiting to connect");
    }
    Session s = new Session(nextId++, requesterId, requestId, peerId, now + TICKET_TTL.toNanos());
    byte[] a = RelayWire.newTicket();
    byte[] b = RelayWire.newTicket();
    s.tickets[0] = ByteBuffer.wrap(a.clone());
    s.tickets[1] = ByteBuffer.wrap(b.clone());
    s.ips[0] = requesterIp;
    s.ips[1] = peerIp;
    byId.put(s.id, s);
    byTicket.put(s.tickets[0], s);
    byTicket.put(s.tickets[1], s);
    pendingPerMember.merge(requesterId, 1, Integer::sum);
    return new Tickets(s.id, a, b);
  }

  /**
   * A connection from {@code source} presents {@code ticket}. Returns the other end's channel once both are here
   * (the session then leaves the table), or null if {@code channel} now waits for the other end.
   *
   * @throws Refused for an unknown, used or expired ticket, or one presented from another address than its
   *     member's
   */
  synchronized Channel claim(byte[] ticket, InetAddress source, Channel channel, long now) throws Refused {
    ByteBuffer key = ByteBuffer.wrap(ticket);
    Session s = byTicket.remove(key);
    if (s == null) {
      throw new Refused("unknown or used ticket");
    }
    int side = s.tickets[0].equals(key) ? 0 : 1;
    if (now - s.expiresAtNanos > 0) {
      drop(s);
      throw new Refused("expired ticket of session " + s.id);
    }
    if (!s.ips[side].equals(source)) {
      drop(s);
      throw new Refused("ticket of session " + s.id + " presented from " + source.getHostAddress() + ", not from "
          + s.ips[side].getHostAddress());
    }
    if (s.waiting == null) {
      s.waiting = channel;
      return null;
    }
    Channel other = s.waiting;
    drop(s);
    return other;
  }

  /**
   * Member {@code memberId} declines session {@code sessionId} offered to it: its tickets are void at once, its
   * waiting end (if any) is closed by {@link #expire} after {@link #DECLINED_LINGER}. Returns who asked for it,
   * or null if there is no such session offered to that member.
   */
  synchronized Requester decline(long sessionId, long memberId, long now) {
    Session s = byId.get(sessionId);
    if (s == null || s.peerId != memberId) {
      return null;
    }
    byTicket.remove(s.tickets[0]);
    byTicket.remove(s.tickets[1]);
    s.expiresAtNanos = Math.min(s.expiresAtNanos, now + DECLINED_LINGER.toNanos());
    return new Requester(s.requesterId, s.requestId);
  }

  /** Drops sessions past their tickets' lifetime; returns their waiting channels, to close. */
  synchronized List<Channel> expire(long now) {
    List<Channel> waiting = new ArrayList<>();
    for (Iterator<Session> it = byId.values().iterator(); it.hasNext(); ) {
      Session s = it.next();
      if (now - s.expiresAtNanos > 0) {
        it.remove();
        forget(s);
        if (s.waiting != null) {
          waiting.add(s.waiting);
        }
      }
    }
    return waiting;
  }

  /** Sessions waiting for either end. */
  synchronized int pending() {
    return byId.size();
  }

  private void drop(Session s) {
    byId.remove(s.id);
    forget(s);
  }

  private void forget(Session s) {
    byTicket.remove(s.tickets[0]);
    byTicket.remove(s.tickets[1]);
    pendingPerMember.computeIfPresent(s.requesterId, (id, n) -> n == 1 ? null : n - 1);
  }
}
