package dev.sluice.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunRoundTripsWithEventsInStructuredFormIsoTimesAndLowerCaseStatuses() throws Exception {
        ServiceEvent input = new ServiceEvent("evt-1", "order.placed", "/shop", "order-42",
                OffsetDateTime.parse("2026-05-01T10:00:00Z"), "application/json", Map.of("tenant", "acme"),
                JSON.readTree("{\"total\": 12.5}"));
        StepResult step = new StepResult("run.sh", RunStatus.TIMED_OUT, 137, Duration.ofMillis(1500),
                new CapturedOutput("out\n", 4, false), CapturedOutput.EMPTY, "timed out");
        Run run = Run.queued("run-1", "svc", "abc123", "evt-1", input, Instant.parse("2026-05-01T10:00:01Z"))
                .started(Instant.parse("2026-05-01T10:00:02Z"))
                .withAttempt(new RunAttempt(1, RunStatus.TIMED_OUT, Instant.parse("2026-05-01T10:00:02Z"),
                        Instant.parse("2026-05-01T10:00:04Z"), List.of(step), List.of(), "timed out"))
                .finished(RunStatus.TIMED_OUT, Instant.parse("2026-05-01T10:00:04Z"), List.of(), "timed out");
        RunRecord record = new RunRecord(run, "t1", "node-1");

        JsonNode stored = JSON.readTree(record.toBytes());
        assertThat(stored.at("/run/status").asText()).isEqualTo("timed_out");
        assertThat(stored.at("/run/queued").asText()).isEqualTo("2026-05-01T10:00:01Z");
        assertThat(stored.at("/run/input/specversion").asText()).isEqualTo("1.0");
        assertThat(stored.at("/run/input/tenant").asText()).isEqualTo("acme");
        assertThat(stored.at("/run/attempts/0/steps/0/duration").asText()).isEqualTo("PT1.5S");
        assertThat(stored.at("/node").asText()).isEqualTo("node-1");
        assertThat(RunRecord.fromBytes(record.toBytes())).isEqualTo(record);
    }

    @Test
    void theRunIdOfAnEventAndTriggerIsStableAndDiffersPerTrigger() {
        assertThat(RunRecord.runId("/shop", "evt-1", "t1")).isEqualTo(RunRecord.runId("/shop", "evt-1", "t1"))
                .isNotEqualTo(RunRecord.runId("/shop", "evt-1", "t2"))
                .isNotEqualTo(RunRecord.runId("/other", "evt-1", "t1"));
    }
}
