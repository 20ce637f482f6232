package io.boxer.testing.lambda;

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

  private LambdaEnvironment() {}

  /** {@code JAVA -cp CLASSPATH AWSLambda HANDLER}. */
  public static List<String> command(String java, String classpath, String handler) {
    return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, RUNTIME_MAIN, handler);
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
