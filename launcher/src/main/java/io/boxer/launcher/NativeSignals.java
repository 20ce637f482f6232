package io.boxer.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * SIGQUIT for Java, through the JNI library libboxersignals ({@code launcher/src/main/c/boxer_signals.c}).
 * HotSpot refuses Java handlers for SIGQUIT ({@code JVM_RegisterSignal} returns -1 for its BREAK_SIGNAL, with
 * or without -Xrs), so a native sigaction handler writes the signal number to a pipe, and a daemon thread,
 * {@code boxer-sigquit}, reads it and hands it to the listener. While a jcmd/jstack attach is being set up
 * (a {@code .attach_pid<pid>} file exists) the handler passes SIGQUIT on to HotSpot's instead.
 *
 * <p>The library ships inside the launcher jar as {@code libboxersignals-<os>-<arch>.so}, built by Maven
 * for the build machine. It is copied to a scratch directory, loaded, and the copy deleted at once (the
 * mapping stays). Installed at most once per JVM; the handler stays for the life of the process, and the
 * latest listener gets the signals.
 */
final class NativeSignals {
  private static volatile Consumer<ForwardedSignal> listener = signal -> { };
  private static boolean installed; // guarded by NativeSignals.class

  /** The library's resource name for this JVM's OS and architecture, e.g. libboxersignals-linux-amd64.so. */
  static String libraryName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_');
    return "libboxersignals-" + os + "-" + System.getProperty("os.arch") + ".so";
  }

  /**
   * Sends every SIGQUIT this process receives to {@code quitListener}, on the {@code boxer-sigquit} thread.
   *
   * @param scratchDir a private directory to copy the library to before loading it
   * @throws IOException if there is no library for this OS and architecture, or it cannot be loaded or installed
   */
  static synchronized void listenForQuit(Path scratchDir, Consumer<ForwardedSignal> quitListener) throws IOException {
    listener = quitListener;
    if (installed) {
      return;
    }
    load(scratchDir);
    String failure = installQuitHandler();
    if (failure != null) {
      throw new IOException(failure);
    }
    Thread reader = new Thread(NativeSignals::readSignals, "boxer-sigquit");
    reader.setDaemon(true);
    reader.start();
    installed = true;
  }

  private static void load(Path scratchDir) throws IOException {
    String name = libraryName();
    try (InputStream library = NativeSignals.class.getResourceAsStream(name)) {
      if (library == null) {
        throw new IOException(name + " : not in the launcher jar (expected: a launcher built on this OS and "
            + "architecture; its Maven build compiles it with gcc on Linux)");
      }
      Path copy = scratchDir.resolve(name);
      Files.copy(library, copy, StandardCopyOption.REPLACE_EXISTING);
      try {
        System.load(copy.toAbsolutePath().toString());
      } catch (UnsatisfiedLinkError e) {
        throw new IOException(name + " : cannot be loaded from " + scratchDir + " (" + e.getMessage() + ")", e);
      } finally {
        Files.deleteIfExists(copy);
      }
    }
  }

  private static void readSignals() {
    while (true) {
      int number = awaitSignal();
      if (number < 0) {
        return; // the pipe broke: nothing more will come
      }
      ForwardedSignal.ofNumber(number).ifPresent(signal -> listener.accept(signal));
    }
  }

  /** Creates the pipe and installs the SIGQUIT handler; null on success, else what failed. */
  private static native String installQuitHandler();

  /** Blocks until a signal arrives and returns its number, or -1 if the pipe failed. */
  private static native int awaitSignal();

  private NativeSignals() {}
}
