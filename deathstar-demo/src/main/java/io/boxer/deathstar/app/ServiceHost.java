package io.boxer.deathstar.app;

import io.boxer.deathstar.proto.ComposePostServiceGrpc;
import io.boxer.deathstar.proto.HomeTimelineServiceGrpc;
import io.boxer.deathstar.proto.PostStorageServiceGrpc;
import io.boxer.deathstar.proto.SocialGraphServiceGrpc;
import io.boxer.deathstar.proto.TextServiceGrpc;
import io.boxer.deathstar.proto.UniqueIdServiceGrpc;
import io.boxer.deathstar.proto.UrlShortenServiceGrpc;
import io.boxer.deathstar.proto.UserMentionServiceGrpc;
import io.boxer.deathstar.proto.UserTimelineServiceGrpc;
import io.boxer.hostport.HostPort;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * One running service of the social network: its Redis client (if the role stores data), plaintext gRPC channels
 * to its downstream services (grpc-netty-shaded's defaults, so the native epoll transport on Linux), and its server
 * (gRPC, or HTTP for the frontend). Owns all of them and closes them in reverse start order.
 */
public final class ServiceHost implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceHost.class);
  private static final Duration REDIS_PATIENCE = Duration.ofSeconds(30);

  private final Role role;
  private final int port;
  private final List<AutoCloseable> resources; // in start order
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  private ServiceHost(Role role, int port, List<AutoCloseable> resources) {
    this.role = role;
    this.port = port;
    this.resources = resources;
  }

  /**
   * Starts the service {@code config} describes; returns once it accepts requests. The social-graph service first
   * seeds the follower graph ({@link GraphSeeder}).
   *
   * @throws IOException if the port cannot be bound
   * @throws IllegalStateException if Redis cannot be reached or holds a graph of another size
   */
  public static ServiceHost start(ServiceConfig config) throws IOException, InterruptedException {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      RedisClient redis = null;
      if (config.redis().isPresent()) {
        HostPort address = config.redis().get();
        redis = RedisConnections.open(address, config.redisPoolSize(), "deathstar-" + config.role());
        resources.add(redis);
        RedisConnections.awaitReachable(redis, address, REDIS_PATIENCE);
      }
      Map<Role, ManagedChannel> channels = new EnumMap<>(Role.class);
      for (Map.Entry<Role, HostPort> callee : config.downstream().entrySet()) {
        ManagedChannel channel = channel(config, callee.getKey(), callee.getValue());
        channels.put(callee.getKey(), channel);
        resources.add(() -> closeChannel(channel));
      }
      if (config.role() == Role.SOCIAL_GRAPH) {
        seedGraph(redis, config.graphUsers());
      }
      InetSocketAddress bind = new InetSocketAddress(config.listenHost(), config.listenPort());
      int port;
      if (config.role() == Role.FRONTEND) {
        FrontendServer server = FrontendServer.start(bind, new FrontendHandler(frontendApi(config, channels)),
            config.httpThreads());
        resources.add(server);
        port = server.port();
      } else {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(bind, InsecureServerCredentials.create());
        grpcServices(config, redis, channels).forEach(builder::addService);
        // interceptors run last-added first: the recorder sees the answer after the capacity hold
        config.capacity().ifPresent(c -> builder.intercept(
            new CapacityInterceptor(new CapacityModel(c.concurrency(), c.serviceTime()))));
        config.servedFile().ifPresent(f -> builder.intercept(
            new FirstServedRecorder(f, System::currentTimeMillis)));
        Server server = builder.build().start();
        resources.add(() -> closeServer(server));
        port = server.getPort();
      }
      log.info("Service started. role={} port={} downstream={} redis={} modeledCapacity={}", config.role(), port,
          config.downstream(), config.redis().map(HostPort::toString).orElse("-"),
          config.capacity().map(Object::toString).orElse("-"));
      return new ServiceHost(config.role(), port, resources);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  /**
   * A channel to a downstream role: to its one configured address, or, for a frontend that follows a peers file,
   * to every instance of the role the file lists, round robin (instances come and go with the file).
   */
  @SuppressWarnings("deprecation") // nameResolverFactory: the one way to give a single channel its own resolver
  private static ManagedChannel channel(ServiceConfig config, Role callee, HostPort address) {
    if (config.role() == Role.FRONTEND && config.peersFile().isPresent()) {
      PeersFileNameResolver.Factory resolver = new PeersFileNameResolver.Factory(config.peersFile().get(),
          callee.configName(), address.port());
      return Grpc.newChannelBuilder(resolver.target(), InsecureChannelCredentials.create())
          .nameResolverFactory(resolver)
          .defaultLoadBalancingPolicy("round_robin")
          .build();
    }
    return Grpc.newChannelBuilderForAddress(address.host(), address.port(), InsecureChannelCredentials.create()).build();
  }

  public Role role() {
    return role;
  }

  /** The port actually bound (the configured one, or the one picked for port 0). */
  public int port() {
    return port;
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /**
   * Stops the server, then the channels, then Redis. Idempotent; a second caller waits for the first. An interrupt
   * cuts the waits short and stays set.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      closeAll(resources);
      log.info("Service stopped. role={}", role);
    } finally {
      closed.countDown();
    }
  }

  private static void seedGraph(RedisClient redis, int users) {
    long started = System.nanoTime();
    boolean wrote = new GraphSeeder(redis).seed(new FollowerGraph(users));
    log.info("Social graph {}. users={} followsPerUser={} millis={}", wrote ? "seeded" : "already seeded", users,
        FollowerGraph.FOLLOWS_PER_USER, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static FrontendApi frontendApi(ServiceConfig config, Map<Role, ManagedChannel> channels) {
    return new FrontendApi(
        ComposePostServiceGrpc.newBlockingStub(channels.get(Role.COMPOSE_POST)),
        UserTimelineServiceGrpc.newBlockingStub(channels.get(Role.USER_TIMELINE)),
        HomeTimelineServiceGrpc.newBlockingStub(channels.get(Role.HOME_TIMELINE)),
        SocialGraphServiceGrpc.newBlockingStub(channels.get(Role.SOCIAL_GRAPH)),
        config.rpcDeadline());
  }

  private static List<BindableService> grpcServices(ServiceConfig config, RedisClient redis,
      Map<Role, ManagedChannel> channels) {
    Duration deadline = config.rpcDeadline();
    return switch (config.role()) {
      case UNIQUE_ID -> List.of(new UniqueIdServiceImpl(new SnowflakeIds(config.machineId(),
          System::currentTimeMillis)));
      case URL_SHORTEN -> List.of(new UrlShortenServiceImpl(redis), new UserMentionServiceImpl(redis));
      case TEXT -> List.of(new TextServiceImpl(
          UrlShortenServiceGrpc.newFutureStub(channels.get(Role.URL_SHORTEN)),
          UserMentionServiceGrpc.newFutureStub(channels.get(Role.URL_SHORTEN)),
          deadline));
      case POST_STORAGE -> List.of(new PostStorageServiceImpl(redis));
      case USER_TIMELINE -> List.of(new UserTimelineServiceImpl(redis, new TimelineReader(redis,
          RedisKeys::userTimeline, PostStorageServiceGrpc.newBlockingStub(channels.get(Role.POST_STORAGE)),
          deadline)));
      case SOCIAL_GRAPH -> List.of(new SocialGraphServiceImpl(redis));
      case HOME_TIMELINE -> List.of(new HomeTimelineServiceImpl(redis,
          SocialGraphServiceGrpc.newBlockingStub(channels.get(Role.SOCIAL_GRAPH)),
          new TimelineReader(redis, RedisKeys::homeTimeline,
              PostStorageServiceGrpc.newBlockingStub(channels.get(Role.POST_STORAGE)), deadline),
          deadline));
      case COMPOSE_POST -> List.of(new ComposePostServiceImpl(
          UniqueIdServiceGrpc.newFutureStub(channels.get(Role.UNIQUE_ID)),
          TextServiceGrpc.newFutureStub(channels.get(Role.TEXT)),
          PostStorageServiceGrpc.newBlockingStub(channels.get(Role.POST_STORAGE)),
          UserTimelineServiceGrpc.newFutureStub(channels.get(Role.USER_TIMELINE)),
          HomeTimelineServiceGrpc.newFutureStub(channels.get(Role.HOME_TIMELINE)),
          System::currentTimeMillis,
          deadline));
      case FRONTEND -> throw new IllegalArgumentException("the frontend serves HTTP, not gRPC");
    };
  }

  private static void closeServer(Server server) throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void closeChannel(ManagedChannel channel) throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Closes in reverse order; a failure is logged and the rest are still closed. An interrupt stays set. */
  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("Close failed.", e);
      }
    }
  }
}
