package io.boxer.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Linux's process table as {@code /proc} shows it, reduced to what {@link ProcessGroup} needs: how many live
 * processes a group still has. Zombies do not count: a process killed after its parent exited is reaped by
 * init, and some inits (many container ones, this project's CI machine's) never reap, leaving zombies for good.
 *
 * <p>Stateless; every call reads {@code /proc} afresh. A process that exits while being read is skipped.
 */
final class ProcessTable {
  private static final Path PROC = Path.of("/proc");

  /** The fields of {@code /proc/PID/stat} used here. */
  record Stat(long pid, char state, long processGroup) {
    /** Running, sleeping, stopped...: anything but a zombie ({@code Z}) or a dead task ({@code X}). */
    boolean alive() {
      return state != 'Z' && state != 'X';
    }
  }

  /** Whether this system has a {@code /proc} to read (Linux). */
  static boolean available() {
    return Files.isDirectory(PROC.resolve("self"));
  }

  /** The number of live processes whose process group is {@code processGroup}. */
  static int liveMembers(long processGroup) {
    int count = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        Optional<Stat> stat = read(entry.resolve("stat"));
        if (stat.isPresent() && stat.get().processGroup() == processGroup && stat.get().alive()) {
          count++;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e, e);
    }
    return count;
  }

  private static Optional<Stat> read(Path stat) {
    try {
      return parse(Files.readString(stat));
    } catch (IOException e) {
      return Optional.empty(); // the process exited while we looked
    }
  }

  /**
   * Parses one {@code /proc/PID/stat} line: {@code pid (comm) state ppid pgrp ...}. The command name may hold
   * spaces and parentheses, so the fields after it are found from the last ')'.
   */
  static Optional<Stat> parse(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 1 || close < open) {
      return Optional.empty();
    }
    String[] rest = line.substring(close + 1).trim().split(" ");
    if (rest.length < 3 || rest[0].length() != 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Stat(Long.parseLong(line.substring(0, open).trim()), rest[0].charAt(0),
          Long.parseLong(rest[2])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private ProcessTable() {}
}
