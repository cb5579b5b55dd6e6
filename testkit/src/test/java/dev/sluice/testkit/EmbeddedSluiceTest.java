package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.FlushPolicy;
import dev.sluice.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedSluiceTest {
    // Generous for a loaded 2-core CI machine; an embedded start takes tens of milliseconds.
    private static final Duration QUICK = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void startsAndStopsQuickly() {
        long begin = System.nanoTime();
        try (EmbeddedSluice sluice = EmbeddedSluice.builder().dataDir(dir).build().start()) {
            assertThat(sluice.logs().dir()).isEqualTo(dir.resolve("log"));
        }

        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(QUICK);
    }

    @Test
    void topicCreatedThroughLogsSurvivesARestart() {
        try (EmbeddedSluice sluice = EmbeddedSluice.builder().dataDir(dir).build().start()) {
            PartitionLog orders = sluice.logs().createTopic("orders", 2, sluice.config().logConfig()).getFirst();
            orders.append(batch("first")).join();

            sluice.restart();

            assertThat(sluice.logs().topics()).filteredOn(t -> !t.startsWith("_") && !t.startsWith("sluice.")).containsExactly("orders");
            assertThat(sluice.logs().partition(new TopicPartition("orders", 0)).orElseThrow().logEndOffset())
                    .isEqualTo(1);
        }
    }

    @Test
    void topicSurvivesANewEmbeddedSluiceOnTheSameDirectory() {
        try (EmbeddedSluice sluice = EmbeddedSluice.builder().dataDir(dir).build().start()) {
            sluice.logs().createTopic("orders", 3, sluice.config().logConfig());
        }

        try (EmbeddedSluice sluice = EmbeddedSluice.builder().dataDir(dir).build().start()) {
            // The broker keeps its own metadata in internal __sluice topics beside the user's.
            assertThat(sluice.logs().topics()).filteredOn(t -> !t.startsWith("_") && !t.startsWith("sluice.")).containsExactly("orders");
            assertThat(sluice.logs().partitions()).filteredOn(tp -> tp.topic().equals("orders")).hasSize(3);
        }
    }

    @Test
    void settingsFromTheBuilderApply() {
        try (EmbeddedSluice sluice = EmbeddedSluice.builder().dataDir(dir)
                .config(Map.of("log.flush", "none", "log.segment.bytes", "65536")).build().start()) {
            assertThat(sluice.config().logConfig().flushPolicy()).isEqualTo(FlushPolicy.NONE);
            assertThat(sluice.logs().defaults().segmentBytes()).isEqualTo(65536);
            assertThat(sluice.config().nodeName()).isEqualTo("embedded");
        }
    }

    @Test
    void invalidSettingIsRejectedByName() {
        assertThatThrownBy(() -> EmbeddedSluice.builder().config("log.flush", "sometimes").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log.flush")
                .hasMessageContaining("always, interval or none");
    }

    @Test
    void temporaryDataDirectoryIsDeletedOnClose() {
        EmbeddedSluice sluice = EmbeddedSluice.builder().build().start();
        sluice.logs().createTopic("orders", 1, sluice.config().logConfig());
        Path temp = sluice.dataDir();
        assertThat(temp.resolve("log/orders-0")).isDirectory();

        sluice.close();

        assertThat(temp).doesNotExist();
    }

    @Test
    void givenDataDirectoryIsKeptOnClose() {
        EmbeddedSluice.builder().dataDir(dir).build().start().close();

        assertThat(dir.resolve("log")).isDirectory();
    }

    @Test
    void logsAreUnavailableBeforeStartAndStartAfterCloseIsRefused() {
        EmbeddedSluice sluice = EmbeddedSluice.builder().dataDir(dir).build();
        assertThatThrownBy(sluice::logs).isInstanceOf(IllegalStateException.class);

        sluice.close();

        assertThatThrownBy(sluice::start).isInstanceOf(IllegalStateException.class);
    }

    private static ByteBuffer batch(String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)))
                .buffer();
    }
}
