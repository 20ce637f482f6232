package io.boxer.node.mesh;

import io.boxer.proto.v1.Heartbeat;
import java.util.concurrent.TimeUnit;

/**
 * A control link's round-trip time, measured from the heartbeats the link sends anyway (common.proto,
 * {@code Heartbeat}): each outgoing heartbeat carries this end's clock and echoes the newest clock value the
 * peer sent, with how long it was held; an echo coming back gives one sample, {@code now - echo - held}, on
 * this end's clock alone (no clock agreement needed). Keeps the last sample and a smoothed one, as TCP does
 * (RFC 6298: SRTT = 7/8 SRTT + 1/8 sample, the first sample taken as it is).
 *
 * <p>Threads: {@link #outgoing} on the heartbeat thread, {@link #incoming} on the link's reading thread (one
 * at a time), the getters from any thread. All times are {@link System#nanoTime()} values passed in.
 */
final class LinkRtt {
  /** A sample longer than this is a peer's bad {@code held_us} or clock, not a round trip: ignored. */
  static final long MAX_SAMPLE_MICROS = TimeUnit.SECONDS.toMicros(60);

  /** The newest clock value the peer sent, and when it arrived. */
  private record Received(long peerMicros, long atNanos) {}

  private final long originNanos;
  private volatile Received received;
  private long lastEchoSampled; // reading thread only
  private volatile long lastMicros;
  private volatile long smoothedMicros;

  /** @param originNanos when this end of the link opened: its clock counts from there */
  LinkRtt(long originNanos) {
    this.originNanos = originNanos;
  }

  /** The heartbeat to send now: this end's clock, and the echo of the peer's newest one. */
  Heartbeat outgoing(long nowNanos) {
    Heartbeat.Builder heartbeat = Heartbeat.newBuilder().setSentUs(clockMicros(nowNanos));
    Received r = received;
    if (r != null) {
      heartbeat.setEchoUs(r.peerMicros()).setHeldUs(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nowNanos - r.atNanos())));
    }
    return heartbeat.build();
  }

  /** A heartbeat from the peer arrived at {@code nowNanos}: remember its clock, take a sample from its echo. */
  void incoming(Heartbeat heartbeat, long nowNanos) {
    if (heartbeat.getSentUs() > 0) {
      received = new Received(heartbeat.getSentUs(), nowNanos);
    }
    long echo = heartbeat.getEchoUs();
    if (echo == 0 || echo == lastEchoSampled) {
      return; // nothing echoed, or an echo already sampled (the peer sent no newer heartbeat of ours meanwhile)
    }
    lastEchoSampled = echo;
    long sample = clockMicros(nowNanos) - echo - heartbeat.getHeldUs();
    if (sample <= 0 || sample > MAX_SAMPLE_MICROS) {
      return;
    }
    lastMicros = sample;
    long smoothed = smoothedMicros;
    smoothedMicros = smoothed == 0 ? sample : smoothed + (sample - smoothed) / 8;
  }

  /** The last sample in microseconds; 0 before the first. */
  long lastMicros() {
    return lastMicros;
  }

  /** The smoothed round-trip time in microseconds; 0 before the first sample. */
  long smoothedMicros() {
    return smoothedMicros;
  }

  /** This end's clock: microseconds since the link opened, from 1 (0 means "not measuring" on the wire). */
  private long clockMicros(long nowNanos) {
    return TimeUnit.NANOSECONDS.toMicros(nowNanos - originNanos) + 1;
  }
}
