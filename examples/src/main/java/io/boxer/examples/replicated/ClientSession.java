package io.boxer.examples.replicated;

import io.boxer.examples.replicated.LineConnection.LineTooLongException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One connection to the store: it answers each command line with one line, until the client closes, stays
 * idle past the read timeout or sends a line that is too long ({@code ERR line too long ...}, then closed).
 * A connection from the primary that begins with {@code SNAPSHOT} is the primary's replication link to this
 * backup and is handed to {@link Backup#serveReplication}. Runs on one thread.
 */
final class ClientSession implements Runnable {
  private final LineConnection connection;
  private final long nodeId;
  private final Table table;
  private final Role role;

  ClientSession(LineConnection connection, long nodeId, Table table, Role role) {
    this.connection = connection;
    this.nodeId = nodeId;
    this.table = table;
    this.role = role;
  }

  @Override
  public void run() {
    try {
      for (String line = connection.readLine(); line != null; line = connection.readLine()) {
        if (line.startsWith("SNAPSHOT ") && role instanceof Backup backup
            && backup.isPrimary(connection.remoteAddress())) {
          backup.serveReplication(connection, line);
          return;
        }
        connection.writeLine(answer(line));
      }
    } catch (LineTooLongException e) {
      refuse(e.getMessage());
    } catch (IOException e) {
      // the peer left, stayed idle too long, or the store is closing: nobody to answer
    } finally {
      connection.close();
    }
  }

  private void refuse(String why) {
    try {
      connection.writeLine("ERR " + why);
    } catch (IOException e) {
      // closing anyway
    }
  }

  String answer(String line) {
    String[] words = line.split(" ", 3);
    switch (words[0]) {
      case "PUT":
        if (words.length != 3 || words[1].isEmpty() || words[2].isEmpty()) {
          return "ERR usage: PUT <key> <value>";
        }
        if ((words[1] + words[2]).getBytes(StandardCharsets.UTF_8).length > Table.MAX_ENTRY_BYTES) {
          return "ERR entry too large (max " + Table.MAX_ENTRY_BYTES + " bytes of key and value)";
        }
        return role.put(words[1], words[2]);
      case "GET":
        if (words.length != 2 || words[1].isEmpty()) {
          return "ERR usage: GET <key>";
        }
        Table.Entry entry = table.get(words[1]);
        return entry == null ? "NONE" : "VALUE " + entry.version() + " " + entry.value();
      case "STATUS":
        return words.length == 1 ? status() : "ERR usage: STATUS";
      case "SNAPSHOT", "REPLICATE":
        return "ERR " + words[0] + " comes only from the primary, on its link to a backup";
      default:
        String command = words[0].length() > 32 ? words[0].substring(0, 32) + "..." : words[0];
        return "ERR unknown command \"" + command + "\" (expected: PUT, GET, STATUS)";
    }
  }

  private String status() {
    List<Long> connected = role.connectedReplicas();
    return "STATUS id=" + nodeId + " role=" + role.name() + " primary=" + role.primaryId() + " connected="
        + (connected.isEmpty() ? "-" : connected.stream().map(String::valueOf).collect(Collectors.joining(",")))
        + " keys=" + table.size();
  }
}
