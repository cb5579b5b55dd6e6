package dev.sluice.log;

import dev.sluice.log.internal.RealPartitionLog;
import dev.sluice.log.internal.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All partition logs under one data directory: opens them at start (recovering those not closed cleanly), creates
 * and deletes them, and runs their background work: retention, compaction, interval flushes, and closing the files
 * of segments that left a log once readers are done with them.
 *
 * <p>Each partition lives in {@code <dir>/<topic>-<partition>/}. Configuration per partition is held in memory: the
 * broker's metadata log restores it at start with {@link PartitionLog#reconfigure}.
 *
 * <pre>{@code
 * try (LogManager logs = LogManager.open(Path.of("data/log"), LogConfig.defaults())) {
 *     PartitionLog log = logs.createPartition(new TopicPartition("orders", 0), LogConfig.defaults());
 *     log.append(batch).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final Pattern PARTITION_DIR = Pattern.compile("(.+)-(\\d+)");

    private final Path dir;
    private final LogConfig defaults;
    private final FileLayer files;
    private final Clock clock;
    private final Duration fileDeleteDelay;
    private final LogObserver observer;
    private final Map<TopicPartition, RealPartitionLog> logs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;

    private LogManager(Path dir, LogConfig defaults, FileLayer files, Clock clock, Duration maintenanceInterval,
                       Duration fileDeleteDelay, LogObserver observer) {
        this.dir = dir;
        this.observer = observer;
        this.defaults = defaults;
        this.files = files;
        this.clock = clock;
        this.fileDeleteDelay = fileDeleteDelay;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("sluice-log-maintenance").factory());
        long maintenanceMs = maintenanceInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::runMaintenance, maintenanceMs, maintenanceMs, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::flushIntervalLogs, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Opens the logs under {@code dir} with the system file layer and clock, and maintenance every 30 seconds. */
    public static LogManager open(Path dir, LogConfig defaults) throws IOException {
        return open(dir, defaults, LogObserver.NONE);
    }

    /**
     * Opens the logs under {@code dir} as {@link #open(Path, LogConfig)} does, telling {@code observer} of every
     * fsync (the broker's metrics).
     */
    public static LogManager open(Path dir, LogConfig defaults, LogObserver observer) throws IOException {
        return open(dir, defaults, FileLayer.SYSTEM, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(60),
                observer);
    }

    /**
     * Opens the logs under {@code dir}, creating it when missing.
     *
     * @param maintenanceInterval how often retention and compaction run
     * @param fileDeleteDelay     how long a segment that left a log stays open for readers that still hold it
     */
    public static LogManager open(Path dir, LogConfig defaults, FileLayer files, Clock clock,
                                  Duration maintenanceInterval, Duration fileDeleteDelay) throws IOException {
        return open(dir, defaults, files, clock, maintenanceInterval, fileDeleteDelay, LogObserver.NONE);
    }

    private static LogManager open(Path dir, LogConfig defaults, FileLayer files, Clock clock,
                                   Duration maintenanceInterval, Duration fileDeleteDelay, LogObserver observer)
            throws IOException {
        Files.createDirectories(dir);
        LogManager manager = new LogManager(dir, defaults, files, clock, maintenanceInterval, fileDeleteDelay,
                Objects.requireNonNull(observer, "observer"));
        try {
            manager.loadExisting();
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        return manager;
    }

    private void loadExisting() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            listing.filter(Files::isDirectory).forEach(dirs::add);
        }
        for (Path partitionDir : dirs) {
            Matcher matcher = PARTITION_DIR.matcher(partitionDir.getFileName().toString());
            if (!matcher.matches()) {
                continue;
            }
            TopicPartition tp = new TopicPartition(matcher.group(1), Integer.parseInt(matcher.group(2)));
            logs.put(tp, RealPartitionLog.open(tp, partitionDir, defaults, files, clock, this::retire, observer));
        }
        if (!logs.isEmpty()) {
            LOG.info("opened {} partition logs under {}", logs.size(), dir);
        }
    }

    public Path dir() {
        return dir;
    }

    public LogConfig defaults() {
        return defaults;
    }

    /** Returns the partition's log, creating it with {@code config} when it does not exist. */
    public PartitionLog createPartition(TopicPartition tp, LogConfig config) {
        ensureOpen();
        return logs.computeIfAbsent(tp, key -> {
            try {
                return RealPartitionLog.open(key, dir.resolve(key.topic() + "-" + key.partition()), config, files,
                        clock, this::retire, observer);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create log for " + key, e);
            }
        });
    }

    /** Creates partitions {@code 0..partitions-1} of a topic. */
    public List<PartitionLog> createTopic(String topic, int partitions, LogConfig config) {
        List<PartitionLog> created = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            created.add(createPartition(new TopicPartition(topic, p), config));
        }
        return created;
    }

    public Optional<PartitionLog> partition(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Set<TopicPartition> partitions() {
        return Set.copyOf(logs.keySet());
    }

    /** Names of topics with at least one partition log, sorted. */
    public Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        for (TopicPartition tp : logs.keySet()) {
            topics.add(tp.topic());
        }
        return topics;
    }

    /** Closes and deletes a partition's log and its files. */
    public boolean deletePartition(TopicPartition tp) {
        RealPartitionLog log = logs.remove(tp);
        if (log == null) {
            return false;
        }
        log.close();
        log.deleteDirectory();
        return true;
    }

    /** Deletes every partition of a topic; returns how many there were. */
    public int deleteTopic(String topic) {
        int deleted = 0;
        for (TopicPartition tp : partitions()) {
            if (tp.topic().equals(topic) && deletePartition(tp)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Runs retention and compaction on every log now; returns segments deleted or rewritten. */
    public int runMaintenance() {
        int changed = 0;
        for (RealPartitionLog log : logs.values()) {
            try {
                changed += log.runMaintenance();
            } catch (RuntimeException e) {
                LOG.error("maintenance of {} failed", log.topicPartition(), e);
            }
        }
        return changed;
    }

    private void flushIntervalLogs() {
        long now = clock.millis();
        for (RealPartitionLog log : logs.values()) {
            LogConfig config = log.config();
            if (config.flushPolicy() == FlushPolicy.INTERVAL && now - log.lastFlushMs() >= config.flushIntervalMs()) {
                try {
                    log.flush();
                } catch (RuntimeException e) {
                    LOG.error("interval flush of {} failed", log.topicPartition(), e);
                }
            }
        }
    }

    private void retire(Segment segment) {
        if (closed) {
            segment.closeChannel();
            return;
        }
        try {
            Runnable close = segment::closeChannel;
            scheduler.schedule(close, fileDeleteDelay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            segment.closeChannel();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("log manager is closed");
        }
    }

    /** Closes every log cleanly (flush, clean-shutdown marker) and stops background work. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Pending deferred closes run now: nobody reads from a closed manager.
        scheduler.shutdownNow().forEach(Runnable::run);
        for (RealPartitionLog log : logs.values()) {
            log.close();
        }
        logs.clear();
    }
}
