package dev.sluice.benchmarks;

import dev.sluice.mapping.ColumnSpec;
import dev.sluice.sinks.Conditions;
import dev.sluice.sinks.SinkEngine;
import dev.sluice.sinks.SinkEngineConfig;
import dev.sluice.sinks.SinkSpec;
import dev.sluice.sinks.SinkStatus;
import dev.sluice.sinks.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Topic to DuckDB table, for bench/sink-throughput.sh: runs a {@link SinkEngine} in this JVM against a running
 * Sluice node's Kafka listener (DuckDB lets only one process open its file, so the process that polls the table must
 * be the one that writes it), produces 1 KiB JSON records at full speed with a KafkaProducer (acks=all) and polls the
 * table. Prints {@code key value} lines:
 * <ul>
 *   <li>per compression: produce rate, rows/s from the first send to the last row visible, steady-state rows/s
 *       (20% to 80% of the rows), compressed bytes per row of the imported slices, CSV bytes per row (the table
 *       exported by DuckDB as CSV with a header), their ratio;</li>
 *   <li>latency: records sent at {@code LATENCY_RATE}/s into a one-partition topic with small conditions, each
 *       carrying its send time; the table is polled every 10 ms for {@code max(id)} (one partition: imported in
 *       order), so each record's delay is the first poll that sees it minus its send time.</li>
 * </ul>
 *
 * <p>Usage: {@code SinkThroughput <bootstrap> <dataDir> <records> <compressions,...> <latencySeconds> <latencyRate>
 * [duckdb|postgres]}. With {@code postgres} the driver starts a real PostgreSQL (zonky's embedded binaries) with its
 * data under {@code <dataDir>/postgres} and lands the topics there instead.
 */
public final class SinkThroughput {
    private static final int RECORD_BYTES = 1024;

    private SinkThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Path dataDir = Path.of(args[1]);
        int records = Integer.parseInt(args[2]);
        List<String> compressions = Arrays.asList(args[3].split(","));
        int latencySeconds = Integer.parseInt(args[4]);
        int latencyRate = Integer.parseInt(args[5]);
        Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
        boolean postgres = args.length > 6 && args[6].equals("postgres");
        try (EmbeddedPostgres database = postgres ? EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres")).setCleanDataDirectory(true).start() : null) {
            if (database != null) {
                String jdbc = "jdbc:postgresql://localhost:" + database.getPort() + "/postgres";
                target = name -> TargetSpec.postgres(jdbc, "postgres", "postgres", name);
                queryUrl = jdbc + "?user=postgres&password=postgres";
            } else {
                queryUrl = "jdbc:duckdb:" + dataDir.resolve("sinks").resolve("warehouse.duckdb").toAbsolutePath();
            }
            run(bootstrap, dataDir, records, compressions, latencySeconds, latencyRate, kafka);
        }
    }

    /** The table a sink named so lands in. */
    private static java.util.function.Function<String, TargetSpec> target = name -> TargetSpec.duckDb(null, name);
    /** Where the driver counts rows (DuckDB: the same file, from this process, as DuckDB allows one). */
    private static String queryUrl;

    private static void run(String bootstrap, Path dataDir, int records, List<String> compressions,
                            int latencySeconds, int latencyRate, Map<String, Object> kafka) throws Exception {
        try (SinkEngine engine = SinkEngine.start(SinkEngineConfig.of(kafka, dataDir));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                     "acks", "all", "linger.ms", 5, "batch.size", 256 * 1024, "buffer.memory", 128L << 20),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            String url = queryUrl;
            for (String compression : compressions) {
                throughput(engine, producer, url, kafka, records, compression);
            }
            if (latencySeconds > 0) {
                latency(engine, producer, url, kafka, latencySeconds, latencyRate);
            }
        }
    }

    static List<ColumnSpec> mapping() {
        return List.of(ColumnSpec.path("id", "/id").withType("long"),
                ColumnSpec.path("sent", "/sent").withType("long"),
                ColumnSpec.path("user", "/user"),
                ColumnSpec.path("event", "/event"),
                ColumnSpec.path("payload", "/payload"));
    }

    /**
     * A 1 KiB JSON object (exactly {@value #RECORD_BYTES} bytes for ids up to 10^9) with its send time. Written
     * straight into the byte array: building it through strings cost the producer thread about as much CPU as the
     * sink's writer thread used, on the same two cores as the sink being measured.
     */
    static byte[] record(long id, long sentMillis) {
        byte[] json = new byte[RECORD_BYTES];
        int at = ascii(json, 0, "{\"id\":");
        at = ascii(json, at, Long.toString(id));
        at = ascii(json, at, ",\"sent\":");
        at = ascii(json, at, Long.toString(sentMillis));
        at = ascii(json, at, ",\"user\":\"u-");
        at = ascii(json, at, Long.toString(id % 10_000));
        at = ascii(json, at, "\",\"event\":\"page_view\",\"payload\":\"");
        // Some variety, so compression is not trivially 100x: a hex run derived from the id (each long as
        // Long.toHexString writes it, without leading zeros), then padding.
        long x = id * 0x9E3779B97F4A7C15L;
        while (at < RECORD_BYTES - 2 - 300) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(x)) / 4);
            for (int shift = (digits - 1) * 4; shift >= 0 && at < RECORD_BYTES - 2; shift -= 4) {
                json[at++] = HEX[(int) (x >>> shift) & 0xf];
            }
        }
        java.util.Arrays.fill(json, at, RECORD_BYTES - 2, (byte) 'x');
        json[RECORD_BYTES - 2] = '"';
        json[RECORD_BYTES - 1] = '}';
        return json;
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static int ascii(byte[] into, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            into[at++] = (byte) text.charAt(i);
        }
        return at;
    }

    private static void createTopic(Map<String, Object> kafka, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** The bytes of a query's rows as CSV with a header, written by the database itself. */
    private static long csvBytes(String url, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            if (url.startsWith("jdbc:postgresql:")) {
                long[] bytes = {0};
                c.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                        .copyOut("COPY (" + query + ") TO STDOUT (FORMAT csv, HEADER)", new java.io.OutputStream() {
                            @Override
                            public void write(int b) {
                                bytes[0]++;
                            }

                            @Override
                            public void write(byte[] b, int off, int len) {
                                bytes[0] += len;
                            }
                        });
                return bytes[0];
            }
            Path csv = Files.createTempFile("sink-bench", ".csv");
            try (Statement s = c.createStatement()) {
                s.execute("COPY (" + query + ") TO '" + csv + "' (FORMAT csv, HEADER)");
                return Files.size(csv);
            } finally {
                Files.delete(csv);
            }
        }
    }

    private static long count(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void throughput(SinkEngine engine, KafkaProducer<byte[], byte[]> producer, String url,
                                   Map<String, Object> kafka, int records, String compression) throws Exception {
        String name = "bench_" + compression;
        createTopic(kafka, name, 3);
        engine.create(new SinkSpec(name, List.of(name), mapping(), target.apply(name))
                .withCompression(compression));
        List<long[]> samples = new ArrayList<>(); // {nanos, rows}
        long start = System.nanoTime();
        Thread sender = Thread.ofPlatform().name("bench-producer").start(() -> {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(name, record(i, System.currentTimeMillis())));
            }
            producer.flush();
        });
        long produced = 0;
        long rows = 0;
        List<long[]> sliceSizes = new ArrayList<>();
        while (rows < records) {
            Thread.sleep(100);
            rows = count(url, "SELECT count(*) FROM " + name);
            long now = System.nanoTime();
            samples.add(new long[] {now, rows});
            if (produced == 0 && !sender.isAlive()) {
                produced = now;
            }
            SinkStatus status = engine.status(name).orElseThrow();
            for (SinkStatus.Item slice : status.slices()) {
                if (slice.state().equals("imported") && sliceSizes.stream().noneMatch(s -> s[0] == slice.id()
                        .hashCode())) {
                    sliceSizes.add(new long[] {slice.id().hashCode(), slice.rows(), slice.bytes()});
                }
            }
            if ((now - start) > 600_000_000_000L) {
                throw new IllegalStateException("no end after 10 minutes: " + rows + " rows");
            }
        }
        long end = samples.getLast()[0];
        sender.join();
        if (produced == 0) {
            produced = end;
        }
        double seconds = (end - start) / 1e9;
        long steadyFrom = 0;
        long steadyTo = 0;
        long rowsFrom = 0;
        long rowsTo = 0;
        for (long[] s : samples) {
            if (steadyFrom == 0 && s[1] >= records / 5) {
                steadyFrom = s[0];
                rowsFrom = s[1];
            }
            if (steadyTo == 0 && s[1] >= records * 4L / 5) {
                steadyTo = s[0];
                rowsTo = s[1];
            }
        }
        long duplicates = records - count(url, "SELECT count(DISTINCT id) FROM " + name);
        long sliceRows = sliceSizes.stream().mapToLong(s -> s[1]).sum();
        long sliceBytes = sliceSizes.stream().mapToLong(s -> s[2]).sum();
        long csvRows = Math.min(records, 100_000);
        double csvPerRow = (double) csvBytes(url, "SELECT id, sent, \"user\", event, payload FROM " + name
                + " ORDER BY id LIMIT " + csvRows) / csvRows;
        double compressedPerRow = sliceRows == 0 ? Double.NaN : (double) sliceBytes / sliceRows;
        String p = compression + ".";
        print(p + "records", records);
        print(p + "rows", count(url, "SELECT count(*) FROM " + name));
        print(p + "duplicates_or_missing", duplicates);
        print(p + "produce_seconds", (produced - start) / 1e9);
        print(p + "produce_per_s", records / ((produced - start) / 1e9));
        print(p + "end_to_end_seconds", seconds);
        print(p + "end_to_end_rows_per_s", records / seconds);
        print(p + "steady_rows_per_s", (rowsTo - rowsFrom) / ((steadyTo - steadyFrom) / 1e9));
        print(p + "csv_bytes_per_row", csvPerRow);
        print(p + "compressed_bytes_per_row", compressedPerRow);
        print(p + "compression_ratio", csvPerRow / compressedPerRow);
        print(p + "slices_sampled", sliceSizes.size());
        engine.delete(name);
    }

    private static void latency(SinkEngine engine, KafkaProducer<byte[], byte[]> producer, String url,
                                Map<String, Object> kafka, int seconds, int rate) throws Exception {
        String name = "bench_latency";
        createTopic(kafka, name, 1);
        Conditions conditions = new Conditions(new Conditions.Limits(null, null, 500L),
                new Conditions.Limits(null, null, 1_000L));
        engine.create(new SinkSpec(name, List.of(name), mapping(), target.apply(name))
                .withConditions(conditions));
        int total = seconds * rate;
        long[] sent = new long[total];
        // Paced in ticks: whatever is due is sent, then the sender sleeps until the next millisecond. Spinning
        // until each record's due time kept a whole core busy at high rates, on the cores the sink needs.
        Thread sender = Thread.ofPlatform().name("latency-producer").start(() -> {
            long begin = System.nanoTime();
            int i = 0;
            while (i < total) {
                long due = (long) ((System.nanoTime() - begin) * (rate / 1e9)) + 1;
                for (; i < total && i < due; i++) {
                    long now = System.currentTimeMillis();
                    sent[i] = now;
                    producer.send(new ProducerRecord<>(name, record(i, now)));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        });
        long[] visible = new long[total];
        int next = 0;
        long deadline = System.currentTimeMillis() + seconds * 1000L + 120_000;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            while (next < total && System.currentTimeMillis() < deadline) {
                long max = -1;
                // Only the rows past what was seen: DuckDB skips the row groups below by their min/max, so the
                // probe stays cheap as the table grows (a scan of the whole id column 100 times a second slowed
                // the imports it was timing at high rates).
                try (ResultSet r = s.executeQuery("SELECT coalesce(max(id), " + (next - 1) + ") FROM " + name
                        + " WHERE id >= " + next)) {
                    r.next();
                    max = r.getLong(1);
                } catch (java.sql.SQLException e) {
                    // the table may not exist yet
                }
                long now = System.currentTimeMillis();
                while (next <= max && next < total) {
                    visible[next++] = now;
                }
                Thread.sleep(10);
            }
        }
        sender.join();
        long[] delays = new long[next];
        for (int i = 0; i < next; i++) {
            delays[i] = visible[i] - sent[i];
        }
        Arrays.sort(delays);
        print("latency.records", total);
        print("latency.seen", next);
        print("latency.rate_per_s", rate);
        print("latency.conditions", "slice age 500 ms, file age 1000 ms");
        print("latency.p50_ms", delays[delays.length / 2]);
        print("latency.p99_ms", delays[(int) (delays.length * 0.99)]);
        print("latency.max_ms", delays[delays.length - 1]);
        engine.delete(name);
    }

    private static void print(String key, Object value) {
        System.out.println(key + " " + (value instanceof Double d ? String.format("%.2f", d) : value));
    }
}
