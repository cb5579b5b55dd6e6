package dev.sluice.broker.internal;

import dev.sluice.broker.BrokerConfig;
import dev.sluice.log.LogManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka listener: a Netty server whose per-connection pipeline is
 * {@code frames (FrameDecoder) -> requests (KafkaConnection)}. Responses are written by the connection handler as
 * buffers and file regions, so there is no outbound encoder. With auth enabled it also serves the SASL, ACL and SCRAM
 * credential APIs, and every connection authenticates before anything else.
 */
public final class BrokerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerServer.class);

    private final BrokerContext context;
    private final GroupApis groups;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final ConnectionRegistry connections;
    private final ProduceHandler produce;
    private volatile boolean closed;
    /** One per client id: the identity a local produce runs as, made once. */
    private final java.util.Map<String, LocalProducer> localProducers = new java.util.concurrent.ConcurrentHashMap<>();

    private BrokerServer(BrokerContext context, GroupApis groups, EventLoopGroup boss, EventLoopGroup workers,
                         Channel channel, ConnectionRegistry connections, ProduceHandler produce) {
        this.connections = connections;
        this.produce = produce;
        this.context = context;
        this.groups = groups;
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
    }

    /** Starts the broker without metrics: its meters go to an empty composite registry, which drops them. */
    public static BrokerServer start(BrokerConfig config, LogManager logs) {
        return start(config, logs, new CompositeMeterRegistry());
    }

    /** Starts the broker with its meters in {@code registry}. */
    public static BrokerServer start(BrokerConfig config, LogManager logs, MeterRegistry registry) {
        MetadataLog metadata = new MetadataLog(logs, config.logDefaults());
        TopicRegistry topics = new TopicRegistry(logs, config.logDefaults(), metadata);
        ProducerIds producerIds = new ProducerIds(metadata);
        ScramCredentials credentials = new ScramCredentials(metadata, config.auth());
        AclStore acls = new AclStore(metadata);
        metadata.replay((key, value) -> {
            topics.replayed(key, value);
            producerIds.replayed(key, value);
            credentials.replayed(key, value);
            acls.replayed(key, value);
        });
        topics.openPartitions();
        BrokerMetrics metrics = new BrokerMetrics(registry);
        BrokerContext context = new BrokerContext(config, topics, logs, new FetchWaiters(), producerIds, metadata,
                metrics);
        context.pipelines().load();
        GroupApis groups;
        try {
            groups = GroupApis.start(context);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        // A deleted topic takes the groups' committed offsets with it, durably, before DeleteTopics answers.
        topics.onDelete(topic -> groups.topicDeleted(topic).join());
        topics.onDelete(metrics::topicDeleted);
        ApiHandlers[] handlers = new ApiHandlers[1];
        ProduceHandler produce = new ProduceHandler(context);
        List<ApiHandler<? extends ApiMessage>> all = new java.util.ArrayList<>(List.of(
                new ApiVersionsHandler(() -> handlers[0]),
                new MetadataHandler(context),
                produce,
                new FetchHandler(context),
                new ListOffsetsHandler(context),
                new CreateTopicsHandler(context),
                new DeleteTopicsHandler(context),
                new InitProducerIdHandler(context),
                new DescribeConfigsHandler(context),
                new AlterConfigsHandler(context),
                new IncrementalAlterConfigsHandler(context),
                new CreatePartitionsHandler(context),
                new DeleteRecordsHandler(context),
                new DescribeClusterHandler(context),
                new DescribeLogDirsHandler(context)));
        all.addAll(groups.handlers());
        Authorizer authorizer = config.auth().enabled() ? new Authorizer(acls, config.auth().superuser())
                : Authorizer.allowAll();
        if (config.auth().enabled()) {
            all.addAll(List.of(
                    new SaslHandshakeHandler(new SaslAuthenticator(credentials)),
                    new SaslAuthenticateHandler(context),
                    new DescribeAclsHandler(acls),
                    new CreateAclsHandler(context, acls),
                    new DeleteAclsHandler(context, acls),
                    new DescribeUserScramCredentialsHandler(credentials),
                    new AlterUserScramCredentialsHandler(context, credentials)));
        }
        handlers[0] = new ApiHandlers(all);
        ConnectionRegistry connections = new ConnectionRegistry();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast("frames", new FrameDecoder(config.maxFrameBytes()))
                                    .addLast("requests", new KafkaConnection(handlers[0], authorizer, metrics,
                                            connections));
                        }
                    })
                    .bind(config.listen()).syncUninterruptibly().channel();
            InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
            String host = config.advertisedHost() != null ? config.advertisedHost()
                    : bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
            int port = config.advertisedPort() > 0 ? config.advertisedPort() : bound.getPort();
            context.advertise(host, port);
            LOG.info("Kafka listener on {} (advertised {}:{}), {} topics", bound, host, port,
                    topics.topics().size());
            if (config.auth().enabled()) {
                LOG.info("Kafka listener requires SASL ({}) and enforces ACLs; superuser '{}', {} ACL patterns",
                        String.join(", ", SaslAuthenticator.MECHANISMS), config.auth().superuser(),
                        acls.all().size());
            }
            return new BrokerServer(context, groups, boss, workers, channel, connections, produce);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            groups.close();
            context.close();
            throw e;
        }
    }

    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Produces in this process as a client with {@code clientId} would with {@code acks=all}: completes with the
     * base offset once durable, or fails with the partition's Kafka error.
     */
    public java.util.concurrent.CompletableFuture<Long> produceLocally(String clientId, String topic, int partition,
                                                                       org.apache.kafka.common.record.MemoryRecords records) {
        if (closed) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new org.apache.kafka.common.errors.BrokerNotAvailableException("the broker is closed"));
        }
        return localProducers.computeIfAbsent(clientId, id -> new LocalProducer(produce, id))
                .produce(topic, partition, records);
    }

    /** The open client connections, oldest first. */
    public java.util.List<dev.sluice.broker.KafkaClientConnection> connections() {
        return connections.list();
    }

    public String advertisedHost() {
        return context.advertisedHost();
    }

    public int advertisedPort() {
        return context.advertisedPort();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        groups.close();
        context.close();
    }
}
