import java.net.http.HttpClient;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * A start-up that loads classes as a service's does (~2,300 on JDK 17 and 25, against ~450 for Hello): an HTTP
 * client (its selector thread activates the agent), the default TLS context and an engine's first handshake step
 * (no I/O), a log line, a formatted date. Nothing leaves the host.
 */
public final class ManyClasses {
  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    SSLEngine engine = SSLContext.getDefault().createSSLEngine();
    engine.setUseClientMode(true);
    engine.beginHandshake();
    Logger.getLogger("startup").fine("not logged: below the default level");
    System.out.println(client.version() + " " + ZonedDateTime.now().format(DateTimeFormatter.ISO_DATE_TIME));
  }
}
