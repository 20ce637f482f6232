package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The function images (deploy/lambda/*Dockerfile) checked without a Docker engine, after every module's jar is
 * built: each COPY takes files the build makes, the CMD names a handler that the copied jar really has, the
 * function's jar carries no lab code and no AWS SDK, and every path the environment points at is a copied
 * file. Needs no root and no lab: Failsafe runs it because it needs the packaged jars.
 */
class ContainerImageIT {
  private static final Path HOME = Path.of(System.getProperty("boxer.home", "..")).toAbsolutePath().normalize();
  /** What public.ecr.aws/lambda/java sets that our Dockerfiles use (its documented ENV). */
  private static final Map<String, String> LAMBDA_BASE_ENV =
      Map.of("LAMBDA_TASK_ROOT", "/var/task", "LAMBDA_RUNTIME_DIR", "/var/runtime");
  private static final String FUNCTION_CLASS_PATH = "/var/task/lib/";
  private static final String AGENT_CACHE = "BOXER_AGENT_CACHE";
  private static final String CLASS_DATA_ARCHIVE = "BOXER_CLASS_DATA_ARCHIVE";
  private static final String STREAM_HANDLER_DESCRIPTOR =
      "(Ljava/io/InputStream;Ljava/io/OutputStream;Lcom/amazonaws/services/lambda/runtime/Context;)V";

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void image_isBuiltOnTheLambdaJavaBaseImage_ofAJdkThatKeepsTheArchivedModuleGraphUnderAnAgent(String name)
      throws IOException {
    // JDK 24 and later keep CDS's module graph under -javaagent when the archive was dumped with its module option
    assertThat(image(name).from()).matches("public\\.ecr\\.aws/lambda/java:25");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void image_copiesOnlyFilesTheBuildMakes(String name) throws IOException {
    // resolve() fails naming the Dockerfile's line and the missing file
    assertThat(image(name).copiedFiles(HOME)).isNotEmpty()
        .allSatisfy((target, file) -> assertThat(file).isRegularFile());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void image_cmdNamesAPublicStreamHandlerInTheCopiedJar(String name) throws IOException {
    Dockerfile image = image(name);
    assertThat(image.entrypoint()).as("ENTRYPOINT (the base image's runs the Lambda runtime)").isEmpty();
    assertThat(image.cmd()).as("CMD").hasSize(1);
    String[] handler = image.cmd().get(0).split("::");
    assertThat(handler).as("CMD %s (expected: CLASS::METHOD)", image.cmd()).hasSize(2);
    String classFile = handler[0].replace('.', '/') + ".class";

    List<Path> jars = functionJars(image);
    assertThat(jars).as("jars copied to %s", FUNCTION_CLASS_PATH).isNotEmpty();
    HandlerClass found = null;
    for (Path jar : jars) {
      try (JarFile file = new JarFile(jar.toFile())) {
        JarEntry entry = file.getJarEntry(classFile);
        if (entry != null) {
          try (InputStream in = file.getInputStream(entry)) {
            found = HandlerClass.read(in, handler[1]);
          }
        }
      }
    }
    assertThat(found).as("%s in the jars copied to %s: %s", classFile, FUNCTION_CLASS_PATH, jars).isNotNull();
    assertThat(found.isPublic()).as("%s is public", handler[0]).isTrue();
    assertThat(found.hasPublicNoArgConstructor()).as("%s has a public no-argument constructor (Lambda creates it)",
        handler[0]).isTrue();
    assertThat(found.publicInstanceDescriptors()).as("public %s(...) methods of %s", handler[1], handler[0])
        .contains(STREAM_HANDLER_DESCRIPTOR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void functionJar_hasNoLabCodeAndNoAwsSdk(String name) throws IOException {
    for (Path jar : functionJars(image(name))) {
      try (JarFile file = new JarFile(jar.toFile())) {
        assertThat(file.stream().map(JarEntry::getName))
            .as("entries of %s", jar)
            .noneMatch(entry -> entry.startsWith("io/boxer/netlab/"))
            .noneMatch(entry -> entry.startsWith("software/amazon/awssdk/"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void env_pathsAreFilesTheImageCopies(String name) throws IOException {
    Dockerfile image = image(name);
    Map<String, Path> copied = image.copiedFiles(HOME);
    assertThat(image.env()).as("ENV of %s", name).containsKey("BOXER_AGENT_JAR");
    image.env().forEach((variable, value) -> {
      // the cache and the archive are written by a RUN (checked below)
      if (value.startsWith("/") && !variable.equals(AGENT_CACHE) && !variable.equals(CLASS_DATA_ARCHIVE)) {
        assertThat(copied).as("ENV %s=%s names a file a COPY writes", variable, value).containsKey(value);
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void agentJar_isAJavaAgent(String name) throws IOException {
    Dockerfile image = image(name);
    Path agent = image.copiedFiles(HOME).get(image.env().get("BOXER_AGENT_JAR"));
    assertThat(agent).as("the file a COPY writes to BOXER_AGENT_JAR=%s", image.env().get("BOXER_AGENT_JAR"))
        .isNotNull();
    try (JarFile file = new JarFile(agent.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Premain-Class")).as("Premain-Class of %s", agent)
          .isNotBlank();
    }
  }

  /** Without the jars of its Boot-Class-Path next to it the agent does not start, and the app runs without Boxer. */
  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void agentJar_hasItsBootClassPathNextToIt(String name) throws IOException {
    Dockerfile image = image(name);
    String agentPath = image.env().get("BOXER_AGENT_JAR");
    Map<String, Path> copied = image.copiedFiles(HOME);
    String bootClassPath;
    try (JarFile file = new JarFile(copied.get(agentPath).toFile())) {
      bootClassPath = file.getManifest().getMainAttributes().getValue("Boot-Class-Path");
    }
    assertThat(bootClassPath).as("Boot-Class-Path of %s", agentPath).isNotBlank();
    String dir = agentPath.substring(0, agentPath.lastIndexOf('/') + 1);
    for (String jar : bootClassPath.trim().split("\\s+")) {
      assertThat(copied).as("%s (the agent's Boot-Class-Path) next to %s", jar, agentPath).containsKey(dir + jar);
    }
  }

  /**
   * The image's JVMs find the agent's rewritten JDK classes in BOXER_AGENT_CACHE: a RUN fills it at build time with
   * the copied agent and the image's java (PrepareRewriteCache fails that RUN unless every class is cached) and
   * makes it readable by the function's user.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void agentCache_isFilledAtBuildTime(String name) throws IOException {
    Dockerfile image = image(name);
    String cache = image.env().get(AGENT_CACHE);
    assertThat(cache).as("ENV %s of %s", AGENT_CACHE, name).startsWith("/");
    String agentPath = image.env().get("BOXER_AGENT_JAR");
    String prepare = "io.boxer.agent.PrepareRewriteCache";
    assertThat(image.runs()).as("RUN instructions of %s", name).anySatisfy(run -> assertThat(run.replaceAll("\\s+", " "))
        .contains("-javaagent:" + agentPath).contains("-cp " + agentPath + " " + prepare)
        .contains("BOXER_AGENT_SOCKET=").contains("chmod -R a+rX " + cache));
    assertAgentJarHas(image, prepare);
  }

  /**
   * The image's JVMs map the class-data archive at BOXER_CLASS_DATA_ARCHIVE: a RUN writes it at build time with the
   * copied agent and the image's java (PrepareClassDataArchive fails that RUN unless a JVM with the agent maps it)
   * and makes it readable by the function's user.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "deathstar.Dockerfile"})
  void classDataArchive_isWrittenAtBuildTime(String name) throws IOException {
    Dockerfile image = image(name);
    String archive = image.env().get(CLASS_DATA_ARCHIVE);
    assertThat(archive).as("ENV %s of %s", CLASS_DATA_ARCHIVE, name).startsWith("/");
    String agentPath = image.env().get("BOXER_AGENT_JAR");
    String prepare = "io.boxer.agent.PrepareClassDataArchive";
    assertThat(image.runs()).as("RUN instructions of %s", name).anySatisfy(run -> assertThat(run.replaceAll("\\s+", " "))
        .contains("java -cp " + agentPath + " " + prepare + " " + archive).contains("chmod a+r " + archive));
    assertAgentJarHas(image, prepare);
  }

  /** The class a RUN starts from the copied agent jar is in that jar. */
  private static void assertAgentJarHas(Dockerfile image, String className) throws IOException {
    String agentPath = image.env().get("BOXER_AGENT_JAR");
    try (JarFile file = new JarFile(image.copiedFiles(HOME).get(agentPath).toFile())) {
      assertThat(file.getJarEntry(className.replace('.', '/') + ".class")).as("%s in %s", className, agentPath)
          .isNotNull();
    }
  }

  @Test
  void exampleImage_hasTheReplicatedStoreThatDocsAwsRuns() throws IOException {
    Path examples = image("Dockerfile").copiedFiles(HOME).get("/opt/app/boxer-examples.jar");
    assertThat(examples).as("/opt/app/boxer-examples.jar in deploy/lambda/Dockerfile").isNotNull();
    try (JarFile file = new JarFile(examples.toFile())) {
      assertThat(file.getJarEntry("io/boxer/examples/replicated/ReplicatedStore.class")).isNotNull();
      assertThat(file.getJarEntry("io/boxer/examples/replicated/ReplicatedStoreClient.class")).isNotNull();
    }
  }

  @Test
  void deathstarImage_startServiceFindsTheCopiedJar() throws IOException {
    Map<String, Path> copied = image("deathstar.Dockerfile").copiedFiles(HOME);
    assertThat(copied.get("/opt/app/bin/start-service")).as("start-service in the image").isExecutable();
    Path jar = copied.get(image("deathstar.Dockerfile").env().get("DEATHSTAR_JAR"));
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.boxer.deathstar.cli.Main");
    }
  }

  private static Dockerfile image(String name) throws IOException {
    return Dockerfile.read(HOME.resolve("deploy/lambda").resolve(name), LAMBDA_BASE_ENV);
  }

  /** The jars the Lambda Java runtime puts on the function's class path. */
  private static List<Path> functionJars(Dockerfile image) throws IOException {
    List<Path> jars = new ArrayList<>();
    image.copiedFiles(HOME).forEach((target, file) -> {
      if (target.startsWith(FUNCTION_CLASS_PATH) && target.endsWith(".jar")) {
        jars.add(file);
      }
    });
    return jars;
  }

  /** What a handler class declares, read with ASM so that nothing of it is loaded or linked. */
  private record HandlerClass(
      boolean isPublic, boolean hasPublicNoArgConstructor, List<String> publicInstanceDescriptors) {
    static HandlerClass read(InputStream classFile, String method) throws IOException {
      int[] access = new int[1];
      boolean[] constructor = new boolean[1];
      List<String> descriptors = new ArrayList<>();
      new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public void visit(int version, int classAccess, String name, String signature, String superName,
            String[] interfaces) {
          access[0] = classAccess;
        }

        @Override
        public MethodVisitor visitMethod(int methodAccess, String name, String descriptor, String signature,
            String[] exceptions) {
          boolean isPublic = (methodAccess & Opcodes.ACC_PUBLIC) != 0;
          if (isPublic && name.equals("<init>") && descriptor.equals("()V")) {
            constructor[0] = true;
          }
          if (isPublic && (methodAccess & Opcodes.ACC_STATIC) == 0 && name.equals(method)) {
            descriptors.add(descriptor);
          }
          return null;
        }
      }, ClassReader.SKIP_CODE);
      return new HandlerClass((access[0] & Opcodes.ACC_PUBLIC) != 0, constructor[0], descriptors);
    }
  }
}
