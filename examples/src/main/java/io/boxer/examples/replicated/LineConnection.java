package io.boxer.examples.replicated;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One TCP connection spoken in lines of UTF-8 text ended by {@code \n} (a {@code \r} before it is dropped), each
 * at most {@link #MAX_LINE_BYTES} bytes: a longer one is a {@link LineTooLongException}, found before more than
 * the bound is buffered. Reads time out after the read timeout given (0: never).
 *
 * <p>One thread reads and writes at a time; {@link #close} may come from any thread and ends a blocked read.
 */
final class LineConnection implements Closeable {
  static final int MAX_LINE_BYTES = 8192;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] line = new byte[MAX_LINE_BYTES];

  LineConnection(Socket socket, Duration readTimeout) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
    socket.setTcpNoDelay(true);
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  static LineConnection open(InetSocketAddress address, Duration connectTimeout, Duration readTimeout)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(address, Math.toIntExact(connectTimeout.toMillis()));
      return new LineConnection(socket, readTimeout);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** The next line without its end, or null when the peer closed (a last line without an end is dropped). */
  String readLine() throws IOException {
    int length = 0;
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        return null;
      }
      if (length == MAX_LINE_BYTES) {
        throw new LineTooLongException();
      }
      line[length++] = (byte) b;
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  /** Buffers a line; {@link #flush} sends what is buffered. */
  void write(String text) throws IOException {
    out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  void flush() throws IOException {
    out.flush();
  }

  void writeLine(String text) throws IOException {
    write(text);
    flush();
  }

  /** Sends a line and returns the answer; a peer that closes instead of answering is an EOFException. */
  String request(String text) throws IOException {
    writeLine(text);
    String answer = readLine();
    if (answer == null) {
      throw new EOFException("closed by " + socket.getRemoteSocketAddress() + " without an answer");
    }
    return answer;
  }

  void setReadTimeout(Duration timeout) throws SocketException {
    socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
  }

  InetAddress remoteAddress() {
    return socket.getInetAddress();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  /** A line longer than {@link #MAX_LINE_BYTES}: the connection cannot be read further. */
  static final class LineTooLongException extends IOException {
    LineTooLongException() {
      super("line too long (max " + MAX_LINE_BYTES + " bytes)");
    }
  }
}
