# A second function image: the DeathStarBench-style social network's logic tier (deathstar-demo), one service
# per function, as the demo's third deployment runs it in the lab. Build from the repository root after
# `mvn -DskipTests package`:
#   docker build --platform linux/amd64 -f deploy/lambda/deathstar.Dockerfile -t boxer-deathstar .
# An invocation starts one service: role "compose-post", command ["/opt/app/bin/start-service", "compose-post"],
# environment DEATHSTAR_REDIS (HOST:PORT of a Redis on EC2); start-service renders the service's config from
# the peers file that the handler's `boxer run` writes, finding each service by its role (deathstar-demo/README.md).
FROM public.ecr.aws/lambda/java:25

# setsid, kill and sh for the handler's process supervision (util-linux-core has setsid and kill on AL2023);
# gawk for start-service, which reads the peers file with awk. The check fails the build, not an invocation.
RUN dnf install -y util-linux-core grep gawk \
    && dnf clean all \
    && command -v setsid && command -v kill && command -v sh && command -v mktemp && command -v grep \
    && command -v rm && command -v awk && command -v java

# The handler, as in deploy/lambda/Dockerfile.
COPY lambda/target/boxer-lambda.jar ${LAMBDA_TASK_ROOT}/lib/

COPY agent/target/boxer-agent.jar agent/target/boxer-agent-bootstrap.jar /opt/boxer/
ENV BOXER_AGENT_JAR=/opt/boxer/boxer-agent.jar
ENV BOXER_AGENT_CACHE=/opt/boxer/agent-cache
RUN BOXER_AGENT_SOCKET=/tmp/no-node.sock java -javaagent:/opt/boxer/boxer-agent.jar -cp /opt/boxer/boxer-agent.jar \
        io.boxer.agent.PrepareRewriteCache \
    && chmod -R a+rX /opt/boxer/agent-cache
# A class-data-sharing archive for the command's JVMs, written here by this image's java: the JDK's classes and
# those the agent loads, dumped with the module option -javaagent implies, so that a JVM with the agent keeps the
# archived module graph (JDK 24 and later) and maps those classes instead of loading them: tens of ms less per
# cold start (docs/measurements.md, "Agent"). The handler passes it as -XX:SharedArchiveFile. The step fails the
# build unless a JVM with the agent maps the archive.
ENV BOXER_CLASS_DATA_ARCHIVE=/opt/boxer/agent.jsa
RUN java -cp /opt/boxer/boxer-agent.jar io.boxer.agent.PrepareClassDataArchive /opt/boxer/agent.jsa \
    && chmod a+r /opt/boxer/agent.jsa

# The services' jar and the script that starts one of them. start-service looks for the jar beside its own
# directory in the repository's layout; DEATHSTAR_JAR points it here instead. Its config goes to a new
# directory under /tmp, the only writable place in a function.
COPY deathstar-demo/target/deathstar-demo.jar /opt/app/deathstar-demo.jar
COPY deathstar-demo/bin/start-service /opt/app/bin/start-service
ENV DEATHSTAR_JAR=/opt/app/deathstar-demo.jar

CMD ["io.boxer.lambda.BoxerFunctionHandler::handleRequest"]
