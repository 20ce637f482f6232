package io.boxer.examples.replicated;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicated data: each key holds the value and the version of the write that set it last, at most
 * {@code maxKeys} keys and {@code maxChars} characters of keys and values together. {@link #apply} keeps the
 * newest version, so applying a write twice, or a snapshot that already holds it, changes nothing.
 *
 * <p>Thread-safe: writes are serialized by this object's lock, reads take none.
 */
final class Table {
  static final int MAX_KEYS = 100_000;
  static final long MAX_CHARS = 32L << 20;
  /** Key and value together, so that every protocol line that carries an entry stays within a line. */
  static final int MAX_ENTRY_BYTES = LineConnection.MAX_LINE_BYTES - 64;

  record Entry(long version, String value) {}

  private final int maxKeys;
  private final long maxChars;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  // guarded by this
  private long chars;

  Table(int maxKeys, long maxChars) {
    this.maxKeys = maxKeys;
    this.maxChars = maxChars;
  }

  /** Sets key to value at version unless it holds a newer one; false, and nothing changed, if it would not fit. */
  synchronized boolean apply(String key, long version, String value) {
    Entry old = entries.get(key);
    if (old != null && old.version() >= version) {
      return true;
    }
    long newChars = chars + value.length() + (old == null ? key.length() : -old.value().length());
    if ((old == null && entries.size() >= maxKeys) || newChars > maxChars) {
      return false;
    }
    entries.put(key, new Entry(version, value));
    chars = newChars;
    return true;
  }

  /** The entry of key, or null. */
  Entry get(String key) {
    return entries.get(key);
  }

  int size() {
    return entries.size();
  }

  /** A copy of every entry as of one write. */
  synchronized Map<String, Entry> snapshot() {
    return Map.copyOf(entries);
  }

  String fullMessage() {
    return "store full (max " + maxKeys + " keys, " + maxChars + " characters)";
  }
}
