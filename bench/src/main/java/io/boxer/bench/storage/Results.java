package io.boxer.bench.storage;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** A worker's result: one JSON object on one line of stdout, which the bench script collects. */
final class Results {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
      .create();

  private static volatile String run = "";

  private Results() {}

  /** The run every result of this process belongs to. */
  static void run(String name) {
    run = name;
  }

  static void print(java.util.Map<String, ?> result) {
    java.util.Map<String, Object> withRun = new java.util.LinkedHashMap<>();
    withRun.put("run", run);
    withRun.putAll(result);
    System.out.println(GSON.toJson(withRun));
    System.out.flush();
  }
}
