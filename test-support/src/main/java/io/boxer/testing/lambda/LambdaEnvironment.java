package io.boxer.testing.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * How Lambda starts a Java function's runtime, for tests that start one themselves: the runtime interface
 * client's main class with the handler as its argument, and the reserved environment variables Lambda sets
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
public final class LambdaEnvironment {
  /** The runtime interface client's entry point, as the Java base images run it. */
  public static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  private static final String NATIVE_LIBRARY_PROPERTY =
      "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  private LambdaEnvironment() {}

  /**
   * {@code JAVA -cp CLASSPATH AWSLambda HANDLER} for a function whose private /tmp is {@code tmp}: Lambda gives
   * each execution environment a /tmp of its own, lab hosts share one, and the runtime interface client unpacks
   * its native library to a fixed /tmp path, which functions starting at once would overwrite under each other.
   * So the library is unpacked into {@code tmp} here (from the client's jar on this JVM's class path) and named by
   * the client's own system property for a preinstalled library.
   */
  public static List<String> command(String java, String classpath, String handler, Path tmp) throws IOException {
    Files.createDirectories(tmp);
    String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
    Path library = tmp.resolve("libaws-lambda-jni.so");
    try (InputStream in = ClassLoader.getSystemResourceAsStream("jni/libaws-lambda-jni.linux-" + arch + ".so")) {
      if (in == null) {
        throw new IOException("the runtime interface client's native library for " + arch
            + " is not on the class path (expected: aws-lambda-java-runtime-interface-client)");
      }
      Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
    }
    return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp,
        "-D" + NATIVE_LIBRARY_PROPERTY + "=" + library, "-cp", classpath, RUNTIME_MAIN, handler);
  }

  /** The reserved variables of a function named {@code functionName} whose Runtime API is at {@code runtimeApi}. */
  public static Map<String, String> variables(String runtimeApi, String functionName, String handler, String taskRoot) {
    return Map.of(
        "AWS_LAMBDA_RUNTIME_API", runtimeApi,
        "AWS_LAMBDA_FUNCTION_NAME", functionName,
        "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048",
        "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName,
        "AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/01/[$LATEST]stand-in",
        "AWS_REGION", "us-east-1",
        "AWS_EXECUTION_ENV", "AWS_Lambda_java21",
        "LAMBDA_TASK_ROOT", taskRoot,
        "_HANDLER", handler);
  }
}
