package dev.sluice.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipelines.ConditionSpec;
import dev.sluice.pipelines.DetectiveSpec;
import dev.sluice.pipelines.InferredSchemas;
import dev.sluice.pipelines.Pipeline;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.pipelines.StepSpec;
import dev.sluice.pipelines.TransformSpec;
import dev.sluice.pipelines.WasmModules;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Batches re-encoded by pipelines keep what producers and consumers rely on. */
class RecordPipelinesTest {
    private static final long PRODUCER_ID = 42;
    private static final short EPOCH = 3;
    private static final int BASE_SEQUENCE = 17;

    /** Masks e-mails; drops records whose value has "drop": true, with a header saying which step did. */
    private static PipelineChain chain() {
        PipelineSpec spec = new PipelineSpec("p", null, 1, List.of(
                StepSpec.detective("drop?", new DetectiveSpec("boolean_true", "/drop"))
                        .onTrue(ConditionSpec.then(ConditionSpec.Then.DROP)),
                StepSpec.detective("find", new DetectiveSpec("pii_email", null))
                        .onTrue(ConditionSpec.then(ConditionSpec.Then.CONTINUE).withMetadata(Map.of("masked", "yes"))),
                StepSpec.transform("mask", new TransformSpec("mask", null))));
        return PipelineChain.of("*/t/produce", List.of(Pipeline.compile(spec, WasmModules.NONE)),
                new InferredSchemas());
    }

    private static MemoryRecords batch(Compression compression, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8),
                    new RecordHeader[] {new RecordHeader("origin", "test".getBytes(StandardCharsets.UTF_8))});
        }
        return MemoryRecords.withIdempotentRecords(compression, PRODUCER_ID, EPOCH, BASE_SEQUENCE, records);
    }

    private static List<Record> records(ByteBuffer buffer) {
        List<Record> all = new ArrayList<>();
        MemoryRecords.readableRecords(buffer.duplicate()).batches().forEach(b -> b.forEach(all::add));
        return all;
    }

    private static String value(Record record) {
        return StandardCharsets.UTF_8.decode(record.value()).toString();
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class)
    void aChangedBatchKeepsItsProducerSequenceCompressionTimestampsAndLastOffset(CompressionType codec) {
        MemoryRecords input = batch(Compression.of(codec).build(),
                "{\"email\":\"ann@example.com\"}", "{\"drop\":true}", "{\"n\":1}", null, "{\"drop\":true}");

        RecordPipelines.Outcome outcome = RecordPipelines.run(chain(), "t", 0, input);

        MutableRecordBatch batch = MemoryRecords.readableRecords(outcome.batches()).batches().iterator().next();
        batch.ensureValid();
        assertThat(batch.producerId()).isEqualTo(PRODUCER_ID);
        assertThat(batch.producerEpoch()).isEqualTo(EPOCH);
        assertThat(batch.baseSequence()).isEqualTo(BASE_SEQUENCE);
        assertThat(batch.lastSequence()).isEqualTo(BASE_SEQUENCE + 4);
        assertThat(batch.lastOffset()).isEqualTo(4);
        assertThat(batch.compressionType()).isEqualTo(codec);
        List<Record> kept = records(outcome.batches());
        assertThat(kept).extracting(Record::offset).containsExactly(0L, 2L, 3L);
        assertThat(kept).extracting(Record::timestamp).containsExactly(1_000L, 1_002L, 1_003L);
        assertThat(value(kept.get(0))).isEqualTo("{\"email\":\"***************\"}");
        assertThat(kept.get(0).headers()).extracting(h -> h.key()).containsExactly("origin", "masked");
        assertThat(value(kept.get(1))).isEqualTo("{\"n\":1}");
        assertThat(kept.get(2).hasValue()).as("a tombstone passes untouched").isFalse();
        assertThat(outcome.records()).isEqualTo(5);
        assertThat(outcome.dropped()).isEqualTo(2);
        assertThat(outcome.changed()).isEqualTo(1);
    }

    @Test
    void aBatchWhoseRecordsAllWentStaysAsAnEmptyBatchThatKeepsTheSequence() {
        RecordPipelines.Outcome outcome = RecordPipelines.run(chain(), "t", 0,
                batch(Compression.NONE, "{\"drop\":true}", "{\"drop\":true}"));

        MutableRecordBatch batch = MemoryRecords.readableRecords(outcome.batches()).batches().iterator().next();
        batch.ensureValid();
        assertThat(batch.countOrNull()).isZero();
        assertThat(batch.producerId()).isEqualTo(PRODUCER_ID);
        assertThat(batch.baseSequence()).isEqualTo(BASE_SEQUENCE);
        assertThat(batch.lastSequence()).isEqualTo(BASE_SEQUENCE + 1);
        assertThat(batch.lastOffset()).isEqualTo(1);
    }

    @Test
    void aBatchWithABadCrcIsRefusedBeforeAnythingIsDecoded() {
        ByteBuffer bytes = batch(Compression.NONE, "{\"email\":\"ann@example.com\"}").buffer();
        bytes.put(bytes.limit() - 3, (byte) (bytes.get(bytes.limit() - 3) ^ 0x5a));

        assertThatThrownBy(() -> RecordPipelines.run(chain(), "t", 0, MemoryRecords.readableRecords(bytes)))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void severalBatchesOfOneRequestAreEachReencoded() {
        ByteBuffer two = ByteBuffer.allocate(4096);
        two.put(batch(Compression.NONE, "{\"email\":\"a@b.co\"}").buffer());
        MemoryRecords second = MemoryRecords.withIdempotentRecords(Compression.NONE, PRODUCER_ID, EPOCH,
                BASE_SEQUENCE + 1, new SimpleRecord(5L, null, "{\"drop\":true}".getBytes(StandardCharsets.UTF_8)),
                new SimpleRecord(6L, null, "{\"x\":\"c@d.co\"}".getBytes(StandardCharsets.UTF_8)));
        two.put(second.buffer());
        two.flip();

        RecordPipelines.Outcome outcome = RecordPipelines.run(chain(), "t", 0, MemoryRecords.readableRecords(two));

        List<MutableRecordBatch> batches = new ArrayList<>();
        MemoryRecords.readableRecords(outcome.batches()).batches().forEach(batches::add);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).baseSequence()).isEqualTo(BASE_SEQUENCE + 1);
        assertThat(batches.get(1).magic()).isEqualTo(RecordBatch.MAGIC_VALUE_V2);
        assertThat(records(outcome.batches())).extracting(RecordPipelinesTest::value)
                .containsExactly("{\"email\":\"******\"}", "{\"x\":\"******\"}");
    }
}
