package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.ApplyFile.SourceSpec;
import dev.sluice.server.internal.cli.ApplyFile.TopicSpec;
import dev.sluice.server.internal.cli.ApplyPlan.Change;
import dev.sluice.server.internal.cli.ApplyPlan.Create;
import dev.sluice.server.internal.cli.ApplyPlan.Refused;
import dev.sluice.server.internal.cli.ApplyPlan.SourceState;
import dev.sluice.server.internal.cli.ApplyPlan.Step;
import dev.sluice.server.internal.cli.ApplyPlan.TopicState;
import dev.sluice.server.internal.cli.ApplyPlan.Unchanged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApplyPlanTest {
    private static final Map<String, String> RETENTION_DAY = Map.of("retention.ms", "86400000");

    @Test
    void missingTopicIsCreatedWithWhatTheFileSays() {
        Step step = ApplyPlan.topic(new TopicSpec("orders", 3, RETENTION_DAY), Optional.empty());

        assertThat(step).isInstanceOf(Create.class);
        assertThat(((Create) step).body().toString())
                .isEqualTo("{\"name\":\"orders\",\"partitions\":3,\"configs\":{\"retention.ms\":\"86400000\"}}");
    }

    @Test
    void topicAsTheFileSaysIsUnchangedWhateverElseItHas() {
        TopicState now = new TopicState(3, Map.of("retention.ms", "86400000", "cleanup.policy", "delete"));

        assertThat(ApplyPlan.topic(new TopicSpec("orders", 3, RETENTION_DAY), Optional.of(now)))
                .isEqualTo(new Unchanged("topic", "orders"));
        assertThat(ApplyPlan.topic(new TopicSpec("orders", null, Map.of()), Optional.of(now)))
                .isEqualTo(new Unchanged("topic", "orders"));
    }

    @Test
    void morePartitionsAndChangedConfigsArePatchedTogether() {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("retention.ms", "3600000");
        wanted.put("cleanup.policy", "delete");
        TopicState now = new TopicState(3, Map.of("retention.ms", "86400000", "cleanup.policy", "delete"));

        Step step = ApplyPlan.topic(new TopicSpec("orders", 6, wanted), Optional.of(now));

        assertThat(step).isInstanceOf(Change.class);
        Change change = (Change) step;
        assertThat(change.summary()).isEqualTo("partitions 3 -> 6, retention.ms=3600000");
        assertThat(change.patch().toString())
                .isEqualTo("{\"partitions\":6,\"configs\":{\"retention.ms\":\"3600000\"}}");
    }

    @Test
    void configMissingOnTheServerIsSet() {
        Step step = ApplyPlan.topic(new TopicSpec("orders", null, RETENTION_DAY),
                Optional.of(new TopicState(1, Map.of())));

        assertThat(((Change) step).summary()).isEqualTo("retention.ms=86400000");
        assertThat(((Change) step).patch().toString()).isEqualTo("{\"configs\":{\"retention.ms\":\"86400000\"}}");
    }

    @Test
    void fewerPartitionsIsRefusedNamingBothCounts() {
        Step step = ApplyPlan.topic(new TopicSpec("orders", 2, Map.of()), Optional.of(new TopicState(6, Map.of())));

        assertThat(step).isEqualTo(new Refused("topic", "orders",
                "has 6 partitions, the file asks for 2; partitions can be added but not removed"));
    }

    @Test
    void missingSourceIsCreatedAndDisabledAfterwardsWhenTheFileSaysSo() {
        Step step = ApplyPlan.source(new SourceSpec("web", "orders", List.of("User-Agent"), null, false),
                Optional.empty());

        assertThat(step).isInstanceOf(Create.class);
        assertThat(((Create) step).body().toString())
                .isEqualTo("{\"name\":\"web\",\"topic\":\"orders\",\"headers\":[\"User-Agent\"]}");
        assertThat(((Create) step).disableAfter()).isTrue();
    }

    @Test
    void sourceComparesHeadersIgnoringCaseAndOrder() {
        SourceState now = new SourceState("orders", List.of("x-b", "user-agent"), List.of("https://b", "https://a"),
                true);

        assertThat(ApplyPlan.source(new SourceSpec("web", "orders", List.of("User-Agent", "X-B"),
                List.of("https://a", "https://b"), true), Optional.of(now)))
                .isEqualTo(new Unchanged("source", "web"));
    }

    @Test
    void sourceFieldsTheFileLeavesOutAreNotTouched() {
        SourceState now = new SourceState("orders", List.of("User-Agent"), List.of("*"), false);

        assertThat(ApplyPlan.source(new SourceSpec("web", "orders", null, null, null), Optional.of(now)))
                .isEqualTo(new Unchanged("source", "web"));
    }

    @Test
    void changedSourceIsPatchedWithOnlyWhatDiffers() {
        SourceState now = new SourceState("orders", List.of("User-Agent"), List.of(), true);

        Step step = ApplyPlan.source(new SourceSpec("web", "clicks", List.of("User-Agent"), List.of("*"), false),
                Optional.of(now));

        Change change = (Change) step;
        assertThat(change.patch().toString())
                .isEqualTo("{\"topic\":\"clicks\",\"corsOrigins\":[\"*\"],\"enabled\":false}");
        assertThat(change.summary()).isEqualTo("topic orders -> clicks, corsOrigins [] -> [*], disabled");
    }

    @Test
    void emptyListInTheFileClearsTheServersList() {
        SourceState now = new SourceState("orders", List.of("User-Agent"), List.of(), true);

        Change change = (Change) ApplyPlan.source(new SourceSpec("web", "orders", List.of(), null, null),
                Optional.of(now));

        assertThat(change.patch().toString()).isEqualTo("{\"headers\":[]}");
        assertThat(change.summary()).isEqualTo("headers [User-Agent] -> []");
    }
}
