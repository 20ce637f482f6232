package io.boxer.launcher;

import io.boxer.seed.SeedServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code boxer seed}: run the rendezvous on a routable host until stopped. */
@Command(
    name = "seed",
    description = "Runs the seed: reflects each joining node's external address, assigns ids, rejects a second "
        + "node behind the same external address and streams membership. Runs until SIGTERM/SIGINT.",
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class SeedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7946", description = "TCP port to listen on.")
  int port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0", description = "Local address to listen on.")
  String bind;

  @Override
  public Integer call() throws Exception {
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port : " + port + " (expected: 1..65535)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (java.net.UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--bind : " + bind + " (expected: a local ip address)");
    }
    SeedServer seed = new SeedServer(new InetSocketAddress(address, port)).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        seed.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "boxer-seed-shutdown"));
    spec.commandLine().getErr().println("boxer seed listening on " + address.getHostAddress() + ":" + seed.port());
    spec.commandLine().getErr().flush();
    seed.awaitTermination();
    return 0;
  }
}
