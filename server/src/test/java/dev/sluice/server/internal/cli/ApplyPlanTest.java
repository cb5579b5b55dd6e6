package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.ConditionSpec;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.pipelines.StepSpec;
import dev.sluice.pipelines.TransformSpec;
import dev.sluice.server.internal.cli.ApplyFile.SourceSpec;
import dev.sluice.server.internal.cli.ApplyFile.TopicSpec;
import dev.sluice.server.internal.cli.ApplyPlan.Change;
import dev.sluice.server.internal.cli.ApplyPlan.Create;
import dev.sluice.server.internal.cli.ApplyPlan.Deploy;
import dev.sluice.server.internal.cli.ApplyPlan.Refused;
import dev.sluice.server.internal.cli.ApplyPlan.SourceState;
import dev.sluice.server.internal.cli.ApplyPlan.Step;
import dev.sluice.server.internal.cli.ApplyPlan.TopicState;
import dev.sluice.server.internal.cli.ApplyPlan.Unchanged;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.trigger.TriggerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private static final StepSpec JSON_OR_DROP = StepSpec.validJson("json")
            .onFalse(ConditionSpec.then(ConditionSpec.Then.DROP));

    /** A pipeline as {@code GET /v1/pipelines/{id}} answers: the definition, its version and where it is attached. */
    private static JsonNode served(String json) throws Exception {
        return RestClient.JSON.readTree(json);
    }

    @Test
    void sinkWhosePostgresTargetDiffersOnlyByTheMaskedPasswordIsUnchanged() {
        dev.sluice.sinks.TargetSpec target = dev.sluice.sinks.TargetSpec.postgres(
                "jdbc:postgresql://db/w?password=url-secret", "u", "secret", "events");
        dev.sluice.sinks.SinkSpec wanted = new dev.sluice.sinks.SinkSpec("pg", List.of("events"),
                List.of(dev.sluice.mapping.ColumnSpec.path("id", "/id")), target);
        JsonNode shown = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(wanted.redacted());

        assertThat(ApplyPlan.sink(wanted, Optional.of(shown))).isInstanceOf(Unchanged.class);

        dev.sluice.sinks.SinkSpec moved = new dev.sluice.sinks.SinkSpec("pg", List.of("events"), wanted.mapping(),
                dev.sluice.sinks.TargetSpec.postgres(target.url(), "u", "secret", "events_v2"));
        Step step = ApplyPlan.sink(moved, Optional.of(shown));
        assertThat(step).isInstanceOf(Change.class);
        assertThat(((Change) step).patch().path("target").path("password").asText()).isEqualTo("secret");
    }

    @Test
    void missingPipelineIsCreatedWithTheFilesDefinition() {
        Step step = ApplyPlan.pipeline(new PipelineSpec("checks", null, null, List.of(JSON_OR_DROP)), Optional.empty());

        assertThat(step).isInstanceOf(Create.class);
        assertThat(((Create) step).body().toString())
                .isEqualTo("{\"id\":\"checks\",\"steps\":[{\"name\":\"json\",\"validJson\":true,"
                        + "\"onFalse\":{\"then\":\"drop\"}}]}");
    }

    @Test
    void pipelineAsTheFileSaysIsUnchangedWhateverItsVersionAndAudiences() throws Exception {
        JsonNode now = served("""
                {"id": "checks", "name": "Checks", "version": 4, "attachedTo": ["*/orders/produce"],
                 "steps": [{"onFalse": {"then": "drop"}, "validJson": true, "name": "json"},
                           {"transform": {"type": "replace_value", "path": "/n", "value": 5}}]}
                """);
        StepSpec replace = StepSpec.transform(null, new TransformSpec("replace_value", "/n",
                RestClient.JSON.getNodeFactory().numberNode(5L), null, null, null, null));

        assertThat(ApplyPlan.pipeline(new PipelineSpec("checks", "Checks", null, List.of(JSON_OR_DROP, replace)),
                Optional.of(now))).isEqualTo(new Unchanged("pipeline", "checks"));
        assertThat(ApplyPlan.pipeline(new PipelineSpec("checks", null, null, List.of(JSON_OR_DROP, replace)),
                Optional.of(now))).as("a name the file leaves out is left as it is")
                .isEqualTo(new Unchanged("pipeline", "checks"));
    }

    @Test
    void changedStepsReplaceThePipelineKeepingItsName() throws Exception {
        JsonNode now = served("""
                {"id": "checks", "name": "Checks", "version": 1, "steps": [{"name": "json", "validJson": true}]}
                """);

        Change changed = (Change) ApplyPlan.pipeline(new PipelineSpec("checks", null, null, List.of(JSON_OR_DROP)),
                Optional.of(now));
        Change longer = (Change) ApplyPlan.pipeline(new PipelineSpec("checks", "New", null,
                List.of(JSON_OR_DROP, StepSpec.inferSchema("shape"))), Optional.of(now));

        assertThat(changed.summary()).isEqualTo("step json");
        assertThat(changed.patch().toString()).isEqualTo("{\"id\":\"checks\",\"name\":\"Checks\",\"steps\":["
                + "{\"name\":\"json\",\"validJson\":true,\"onFalse\":{\"then\":\"drop\"}}]}");
        assertThat(longer.summary()).isEqualTo("name 'Checks' -> 'New', steps 1 -> 2");
    }

    @Test
    void missingAudienceIsCreatedWithItsPipelinesInOrder() {
        AudienceSpec wanted = new AudienceSpec("*", "orders", "produce", List.of("b", "a"), null);

        Step step = ApplyPlan.audience(wanted, Optional.empty(), Set.of("a", "b"));

        assertThat(step).isEqualTo(new Create("audience", "*/orders/produce",
                (com.fasterxml.jackson.databind.node.ObjectNode) RestClient.JSON.createObjectNode()
                        .set("pipelines", RestClient.JSON.createArrayNode().add("b").add("a")), false));
    }

    @Test
    void audienceComparesPipelineOrderAndPausedOnlyWhenGiven() {
        AudienceSpec now = new AudienceSpec("*", "orders", "produce", List.of("a", "b"), true);

        assertThat(ApplyPlan.audience(new AudienceSpec("*", "orders", "produce", List.of("a", "b"), null),
                Optional.of(now), Set.of("a", "b"))).isEqualTo(new Unchanged("audience", "*/orders/produce"));
        Change change = (Change) ApplyPlan.audience(new AudienceSpec("*", "orders", "produce", List.of("b", "a"),
                false), Optional.of(now), Set.of("a", "b"));
        assertThat(change.summary()).isEqualTo("pipelines [a, b] -> [b, a], resumed");
        assertThat(change.patch().toString()).isEqualTo("{\"pipelines\":[\"b\",\"a\"],\"paused\":false}");
    }

    @Test
    void audienceNamingAPipelineThatExistsNowhereIsRefused() {
        Step step = ApplyPlan.audience(new AudienceSpec("*", "orders", "consume", List.of("a", "ghost"), null),
                Optional.empty(), Set.of("a"));

        assertThat(step).isEqualTo(new Refused("audience", "*/orders/consume",
                "attaches pipeline ghost, which neither the file nor the server has"));
    }

    private static final Map<String, Set<String>> HELLO_V1 = Map.of("hello", Set.of("v1"));

    private static TriggerSpec trigger(String yaml) {
        return TriggerSpec.parse(yaml);
    }

    private static JsonNode json(String text) {
        try {
            return RestClient.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTriggerAsTheServerHasItIsUnchangedWhateverTheKeyOrder() {
        TriggerSpec wanted = trigger("{id: t, service: hello, filter: {exact: {type: a, subject: b}}}");
        JsonNode current = json("{\"active\": true, \"filter\": {\"exact\": {\"subject\": \"b\", \"type\": \"a\"}},"
                + " \"version\": \"latest\", \"service\": \"hello\", \"id\": \"t\"}");

        assertThat(ApplyPlan.trigger(wanted, Optional.of(current), HELLO_V1)).isEqualTo(new Unchanged("trigger", "t"));
    }

    @Test
    void aChangedTriggerSaysWhatChangedAndAMissingOneIsCreated() {
        TriggerSpec wanted = trigger("{id: t, service: hello, version: v1, active: false, "
                + "filter: {prefix: {type: a}}}");
        JsonNode current = json("{\"id\": \"t\", \"service\": \"hello\", \"version\": \"latest\", "
                + "\"active\": true, \"filter\": {\"exact\": {\"type\": \"a\"}}}");

        Step changed = ApplyPlan.trigger(wanted, Optional.of(current), HELLO_V1);
        assertThat(changed).isInstanceOf(Change.class);
        assertThat(((Change) changed).summary()).isEqualTo("version latest -> v1, filter, deactivated");
        assertThat(((Change) changed).patch().path("filter").path("prefix").path("type").asText()).isEqualTo("a");

        Step created = ApplyPlan.trigger(wanted, Optional.empty(), HELLO_V1);
        assertThat(created).isInstanceOf(Create.class);
        assertThat(((Create) created).body().path("version").asText()).isEqualTo("v1");
    }

    @Test
    void aTriggerOfAServiceOrVersionThatExistsNowhereIsRefused() {
        assertThat(ApplyPlan.trigger(trigger("{id: t, service: nobody, filter: {exact: {type: a}}}"),
                Optional.empty(), HELLO_V1)).isInstanceOf(Refused.class);
        assertThat(ApplyPlan.trigger(trigger("{id: t, service: hello, version: v2, filter: {exact: {type: a}}}"),
                Optional.empty(), HELLO_V1)).isEqualTo(new Refused("trigger", "t",
                "pins version v2 of service hello, which neither the file nor the server has"));
    }

    @Test
    void aServiceIsUnchangedWhenTheServerHasItsVersionAndDeployedOtherwise(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("service.yaml"), "name: hello\nruntime: bash\nsteps: [a.sh]\n");
        Files.writeString(dir.resolve("a.sh"), "echo a\n");
        ServicePackage pkg = ServicePackage.fromDirectory(dir);

        assertThat(ApplyPlan.service(pkg, Optional.empty())).isEqualTo(new Deploy("hello", pkg, null));
        JsonNode older = json("{\"versions\": [{\"version\": \"new1\"}, {\"version\": \"" + pkg.version()
                + "\"}]}");
        assertThat(ApplyPlan.service(pkg, Optional.of(older))).isEqualTo(new Unchanged("service", "hello"));
        JsonNode other = json("{\"versions\": [{\"version\": \"new1\"}]}");
        assertThat(ApplyPlan.service(pkg, Optional.of(other))).isEqualTo(new Deploy("hello", pkg, "new1"));
    }
}
