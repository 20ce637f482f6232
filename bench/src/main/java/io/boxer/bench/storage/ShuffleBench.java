package io.boxer.bench.storage;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A reduce-by-key shuffle: M map functions each generate their records ({@link Records}) and hand reducer j its
 * partition; N reduce functions each take their partition from every mapper and summarize it. Over storage, a
 * mapper PUTs one object per reducer and a reducer polls for each mapper's (as Lambda shuffles do, e.g.
 * PyWren's); over Boxer, a mapper connects to each reducer and streams the partition. Every worker starts work at
 * one wall-clock time, once all are ready ({@link StartSignal}), and reports when it finished: the shuffle's time
 * is the last reducer's finish minus that start.
 */
final class ShuffleBench {
  private static final String META_BYTES = "partition-bytes";

  private ShuffleBench() {}

  static void mapS3(URI endpoint, String bucket, String run, int mapper, int reducers, long bytes, Path startFile)
      throws IOException, InterruptedException {
    ByteBuffer[] partitions = Records.partitions(mapper, reducers, bytes);
    try (S3Storage s3 = new S3Storage(endpoint)) {
      s3.ensureBucket(bucket);
      StartSignal.ready(startFile, "map" + mapper);
      for (int r = 0; r < reducers; r++) {
        int reducer = r;
        String bytesText = Integer.toString(partitions[reducer].remaining());
        s3.client().putObject(b -> b.bucket(bucket).key(key(run, mapper, reducer)).metadata(Map.of(META_BYTES,
            bytesText)), RequestBody.fromByteBuffer(partitions[reducer]));
      }
      mapped("s3", mapper, partitions, s3.requests());
    }
  }

  static void reduceS3(URI endpoint, String bucket, String run, int reducer, int mappers, int pollMillis,
      Path startFile) throws IOException, InterruptedException {
    Records.Summary summary = new Records.Summary();
    long polls = 0;
    try (S3Storage s3 = new S3Storage(endpoint)) {
      s3.ensureBucket(bucket);
      long startAtMillis = StartSignal.ready(startFile, "reduce" + reducer);
      for (int m = 0; m < mappers; m++) {
        S3Storage.Complete object = s3.awaitComplete(bucket, key(run, m, reducer), (body, metadata) ->
            metadata.get(META_BYTES) != null && Integer.parseInt(metadata.get(META_BYTES)) == body.length, pollMillis);
        summary.add(ByteBuffer.wrap(object.body()));
        polls += object.emptyPolls();
      }
      reduced("s3", reducer, startAtMillis, summary, polls, s3.requests());
    }
  }

  static void mapTcp(List<String> reducerHosts, int port, int mapper, long bytes, Path startFile)
      throws Exception {
    int reducers = reducerHosts.size();
    ByteBuffer[] partitions = Records.partitions(mapper, reducers, bytes);
    StartSignal.ready(startFile, "map" + mapper);
    ExecutorService senders = Executors.newFixedThreadPool(reducers);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int r = 0; r < reducers; r++) {
        int reducer = r;
        sent.add(senders.submit(() -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(reducerHosts.get(reducer), port), 30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            ByteBuffer partition = partitions[reducer].duplicate();
            out.writeInt(mapper);
            out.writeInt(partition.remaining());
            out.write(partition.array(), partition.arrayOffset() + partition.position(), partition.remaining());
            out.flush();
            socket.shutdownOutput();
            return socket.getInputStream().read(); // the reducer's close: it has it all
          }
        }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      senders.shutdownNow();
    }
    mapped("boxer", mapper, partitions, Map.of());
  }

  static void reduceTcp(int port, int reducer, int mappers, Path startFile)
      throws IOException, InterruptedException {
    Records.Summary summary = new Records.Summary();
    long startAtMillis;
    try (ServerSocket server = TcpListener.bind(port)) {
      startAtMillis = StartSignal.ready(startFile, "reduce" + reducer);
      boolean[] seen = new boolean[mappers];
      for (int i = 0; i < mappers; i++) {
        try (Socket socket = server.accept()) {
          DataInputStream in = new DataInputStream(socket.getInputStream());
          int mapper = in.readInt();
          int length = in.readInt();
          if (mapper < 0 || mapper >= mappers || seen[mapper] || length < 0 || length > 1 << 30) {
            throw new IOException("partition header : mapper " + mapper + ", " + length + " bytes (expected: a new"
                + " mapper 0.." + (mappers - 1) + ", at most 1 GiB)");
          }
          seen[mapper] = true;
          byte[] partition = new byte[length];
          in.readFully(partition);
          summary.add(ByteBuffer.wrap(partition));
        }
      }
    }
    reduced("boxer", reducer, startAtMillis, summary, 0, Map.of());
  }

  private static void mapped(String path, int mapper, ByteBuffer[] partitions, Map<String, Long> requests) {
    long bytes = 0;
    for (ByteBuffer p : partitions) {
      bytes += p.limit();
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("bench", "shuffle");
    result.put("side", "map");
    result.put("path", path);
    result.put("worker", mapper);
    result.put("bytes", bytes);
    result.put("doneAtMillis", System.currentTimeMillis());
    result.put("requests", requests);
    Results.print(result);
  }

  private static void reduced(String path, int reducer, long startAtMillis, Records.Summary summary, long polls,
      Map<String, Long> requests) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("bench", "shuffle");
    result.put("side", "reduce");
    result.put("path", path);
    result.put("worker", reducer);
    result.put("bytes", summary.bytes());
    result.put("records", summary.records());
    result.put("checksum", summary.checksum());
    result.put("emptyPolls", polls);
    result.put("startAtMillis", startAtMillis);
    result.put("doneAtMillis", System.currentTimeMillis());
    result.put("requests", requests);
    Results.print(result);
  }

  private static String key(String run, int mapper, int reducer) {
    return "shuffle/" + run + "/m" + mapper + "/r" + reducer;
  }
}
