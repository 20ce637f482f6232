package io.boxer.bench.storage;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The storage baseline's workers (issue 11, item 6), one subcommand per role, run in lab hosts by
 * {@code bin/storage-bench}: over S3 without Boxer, over TCP under {@code boxer run}. Each prints its result as
 * one JSON line. Exit codes: 0 done, 1 failed, 2 usage error.
 */
@Command(name = "storage-bench", mixinStandardHelpOptions = true,
    description = "Workers of the storage baseline: one message, and a shuffle, over S3 or a direct connection.",
    subcommands = {
        StorageBench.MessageSendS3.class, StorageBench.MessageReceiveS3.class,
        StorageBench.MessageSendTcp.class, StorageBench.MessageReceiveTcp.class,
        StorageBench.MapS3.class, StorageBench.ReduceS3.class,
        StorageBench.MapTcp.class, StorageBench.ReduceTcp.class,
        StorageReport.Command.class})
public final class StorageBench {
  public static void main(String[] args) {
    System.exit(new CommandLine(new StorageBench()).execute(args));
  }

  /** Options every S3 worker takes. */
  static final class S3Options {
    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "The S3 endpoint, e.g. http://198.18.0.11:9000.")
    URI endpoint;
    @Option(names = "--bucket", defaultValue = "boxer-bench", description = "Bucket (created if missing).")
    String bucket;
  }

  /** Checks a number option: {@code --name : value (expected: min..max)}. */
  static long check(CommandLine.Model.CommandSpec spec, String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(), name + " : " + value + " (expected: " + min + ".." + max + ")");
    }
    return value;
  }

  abstract static class Worker implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--run", required = true, description = "A name for this run (the S3 keys' prefix), in the result.")
    String run;

    @Override
    public Integer call() throws Exception {
      if (!run.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new ParameterException(spec.commandLine(), "--run : '" + run + "' (expected: 1..64 of A-Z a-z 0-9 . _ -)");
      }
      Results.run(run);
      run();
      return 0;
    }

    abstract void run() throws Exception;
  }

  @Command(name = "message-send-s3", description = "PUT COUNT objects of SIZE bytes, one every INTERVAL ms.")
  static final class MessageSendS3 extends Worker {
    @CommandLine.Mixin S3Options s3 = new S3Options();
    @Option(names = "--count", defaultValue = "100") int count;
    @Option(names = "--size", defaultValue = "262144") int size;
    @Option(names = "--interval-ms", defaultValue = "200") int interval;

    @Override
    void run() throws Exception {
      MessageBench.sendS3(s3.endpoint, s3.bucket, run, (int) check(spec, "--count", count, 1, 100_000),
          (int) check(spec, "--size", size, 1, 64 << 20), (int) check(spec, "--interval-ms", interval, 1, 60_000));
    }
  }

  @Command(name = "message-receive-s3", description = "GET the COUNT objects as they appear, polling every POLL ms.")
  static final class MessageReceiveS3 extends Worker {
    @CommandLine.Mixin S3Options s3 = new S3Options();
    @Option(names = "--count", defaultValue = "100") int count;
    @Option(names = "--size", defaultValue = "262144", description = "The messages' size: a shorter object is incomplete.")
    int size;
    @Option(names = "--warmup", defaultValue = "5", description = "First messages left out of the figures.") int warmup;
    @Option(names = "--poll-ms", defaultValue = "1") int poll;

    @Override
    void run() throws Exception {
      int n = (int) check(spec, "--count", count, 1, 100_000);
      MessageBench.receiveS3(s3.endpoint, s3.bucket, run, n, (int) check(spec, "--size", size, 1, 64 << 20),
          (int) check(spec, "--warmup", warmup, 0, n - 1),
          (int) check(spec, "--poll-ms", poll, 1, 10_000));
    }
  }

  @Command(name = "message-send-tcp", description = "Send COUNT messages of SIZE bytes to HOST:PORT, one every INTERVAL ms.")
  static final class MessageSendTcp extends Worker {
    @Option(names = "--host", required = true) String host;
    @Option(names = "--port", required = true) int port;
    @Option(names = "--count", defaultValue = "100") int count;
    @Option(names = "--size", defaultValue = "262144") int size;
    @Option(names = "--interval-ms", defaultValue = "200") int interval;
    @Option(names = "--reuse", description = "One connection for every message (default: a new one each).") boolean reuse;

    @Override
    void run() throws Exception {
      MessageBench.sendTcp(host, (int) check(spec, "--port", port, 1, 65535),
          (int) check(spec, "--count", count, 1, 100_000), (int) check(spec, "--size", size, 1, 64 << 20),
          (int) check(spec, "--interval-ms", interval, 1, 60_000), reuse);
    }
  }

  @Command(name = "message-receive-tcp", description = "Receive COUNT messages on PORT.")
  static final class MessageReceiveTcp extends Worker {
    @Option(names = "--port", required = true) int port;
    @Option(names = "--count", defaultValue = "100") int count;
    @Option(names = "--warmup", defaultValue = "5", description = "First messages left out of the figures.") int warmup;
    @Option(names = "--reuse") boolean reuse;

    @Override
    void run() throws Exception {
      int n = (int) check(spec, "--count", count, 1, 100_000);
      MessageBench.receiveTcp((int) check(spec, "--port", port, 1, 65535), n,
          (int) check(spec, "--warmup", warmup, 0, n - 1), reuse);
    }
  }

  /** Options of a shuffle worker. */
  static final class ShuffleOptions {
    @Option(names = "--start-file", required = true, paramLabel = "FILE",
        description = "Once every worker is ready, holds the common start (Unix milliseconds).")
    java.nio.file.Path startFile;
  }

  @Command(name = "map-s3", description = "Generate BYTES of records and PUT one partition per reducer.")
  static final class MapS3 extends Worker {
    @CommandLine.Mixin S3Options s3 = new S3Options();
    @CommandLine.Mixin ShuffleOptions shuffle = new ShuffleOptions();
    @Option(names = "--mapper", required = true) int mapper;
    @Option(names = "--reducers", required = true) int reducers;
    @Option(names = "--bytes", defaultValue = "16777216") long bytes;

    @Override
    void run() throws Exception {
      ShuffleBench.mapS3(s3.endpoint, s3.bucket, run, (int) check(spec, "--mapper", mapper, 0, 999),
          (int) check(spec, "--reducers", reducers, 1, 1000), check(spec, "--bytes", bytes, 100, 1L << 30),
          shuffle.startFile);
    }
  }

  @Command(name = "reduce-s3", description = "GET this reducer's partition of every mapper, polling every POLL ms.")
  static final class ReduceS3 extends Worker {
    @CommandLine.Mixin S3Options s3 = new S3Options();
    @CommandLine.Mixin ShuffleOptions shuffle = new ShuffleOptions();
    @Option(names = "--reducer", required = true) int reducer;
    @Option(names = "--mappers", required = true) int mappers;
    @Option(names = "--poll-ms", defaultValue = "10") int poll;

    @Override
    void run() throws Exception {
      ShuffleBench.reduceS3(s3.endpoint, s3.bucket, run, (int) check(spec, "--reducer", reducer, 0, 999),
          (int) check(spec, "--mappers", mappers, 1, 1000), (int) check(spec, "--poll-ms", poll, 1, 10_000),
          shuffle.startFile);
    }
  }

  @Command(name = "map-tcp", description = "Generate BYTES of records and stream each reducer its partition.")
  static final class MapTcp extends Worker {
    @CommandLine.Mixin ShuffleOptions shuffle = new ShuffleOptions();
    @Option(names = "--reducer-hosts", required = true, split = ",", description = "Reducers' addresses, in order.")
    List<String> reducerHosts;
    @Option(names = "--port", required = true) int port;
    @Option(names = "--mapper", required = true) int mapper;
    @Option(names = "--bytes", defaultValue = "16777216") long bytes;

    @Override
    void run() throws Exception {
      check(spec, "--reducer-hosts (count)", reducerHosts.size(), 1, 1000);
      ShuffleBench.mapTcp(reducerHosts, (int) check(spec, "--port", port, 1, 65535),
          (int) check(spec, "--mapper", mapper, 0, 999), check(spec, "--bytes", bytes, 100, 1L << 30),
          shuffle.startFile);
    }
  }

  @Command(name = "reduce-tcp", description = "Take every mapper's partition on PORT.")
  static final class ReduceTcp extends Worker {
    @CommandLine.Mixin ShuffleOptions shuffle = new ShuffleOptions();
    @Option(names = "--port", required = true) int port;
    @Option(names = "--reducer", required = true) int reducer;
    @Option(names = "--mappers", required = true) int mappers;

    @Override
    void run() throws Exception {
      ShuffleBench.reduceTcp((int) check(spec, "--port", port, 1, 65535),
          (int) check(spec, "--reducer", reducer, 0, 999), (int) check(spec, "--mappers", mappers, 1, 1000),
          shuffle.startFile);
    }
  }
}
