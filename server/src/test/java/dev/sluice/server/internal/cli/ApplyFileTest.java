package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.ConditionSpec;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.cli.ApplyFile.SourceSpec;
import dev.sluice.server.internal.cli.ApplyFile.TopicSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyFileTest {

    @Test
    void readsTopicsAndSourcesWithUnquotedNumbersAsConfigValues() {
        ApplyFile file = read("""
                topics:
                  - name: orders
                    partitions: 3
                    configs: {retention.ms: 86400000, cleanup.policy: compact}
                  - name: audit
                sources:
                  - name: web
                    topic: orders
                    headers: [User-Agent]
                    corsOrigins: ["https://shop.example"]
                    enabled: true
                """);

        assertThat(file.topics()).containsExactly(
                new TopicSpec("orders", 3, Map.of("retention.ms", "86400000", "cleanup.policy", "compact")),
                new TopicSpec("audit", null, Map.of()));
        assertThat(file.sources()).containsExactly(new SourceSpec("web", "orders", List.of("User-Agent"),
                List.of("https://shop.example"), true));
    }

    @Test
    void emptyFileAppliesNothing() {
        assertThat(read("")).isEqualTo(new ApplyFile(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of()));
        assertThat(read("topics: []\n").sources()).isEmpty();
    }

    @Test
    void unknownKeyInATopicNamesTheKeyTheLineAndTheKnownKeys() {
        assertThatThrownBy(() -> read("""
                topics:
                  - name: orders
                    partiton: 6
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("apply.yaml line 3: unknown key 'partiton' in topics[0]; "
                        + "known keys: configs, name, partitions");
    }

    @Test
    void unknownTopLevelKeyIsNamed() {
        assertThatThrownBy(() -> read("topics: []\nsink: []\n"))
                .hasMessage("apply.yaml line 2: unknown key 'sink' at the top level; known keys: audiences, "
                        + "pipelines, services, sinks, sources, topics, triggers");
    }

    @Test
    void unknownKeyInASourceIsNamed() {
        assertThatThrownBy(() -> read("""
                sources:
                  - name: web
                    topic: orders
                    cors: ["*"]
                """))
                .hasMessageStartingWith("apply.yaml line 4: unknown key 'cors' in sources[0]; known keys: ");
    }

    @Test
    void wrongTypeNamesTheKeyAndTheLine() {
        assertThatThrownBy(() -> read("""
                topics:
                  - name: orders
                    partitions: many
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("apply.yaml line 3: topics[0].partitions should be a whole number");
        assertThatThrownBy(() -> read("topics:\n  - name: orders\n    partitions: 2.5\n"))
                .hasMessage("apply.yaml line 3: topics[0].partitions should be a whole number");
        assertThatThrownBy(() -> read("sources:\n  - name: web\n    topic: t\n    headers: User-Agent\n"))
                .hasMessage("apply.yaml line 4: sources[0].headers should be a list");
    }

    @Test
    void aListAtTheTopLevelIsRefused() {
        assertThatThrownBy(() -> read("- name: orders\n"))
                .hasMessageStartingWith("apply.yaml line 1: the file should be a mapping");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> read("topics:\n  - name: orders\n\tpartitions: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("apply.yaml is not valid YAML line 3: ");
    }

    @Test
    void duplicateKeyIsRefused() {
        assertThatThrownBy(() -> read("topics:\n  - name: a\n    name: b\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3").hasMessageContaining("name");
    }

    @Test
    void resourcesWithoutNamesOrTwiceOrWithZeroPartitionsAreRefused() {
        assertThatThrownBy(() -> read("topics:\n  - partitions: 3\n"))
                .hasMessage("apply.yaml: topics[0] has no name");
        assertThatThrownBy(() -> read("topics:\n  - name: a\n  - name: a\n"))
                .hasMessage("apply.yaml: topics[1] (a): topic a is listed twice");
        assertThatThrownBy(() -> read("topics:\n  - name: a\n    partitions: 0\n"))
                .hasMessage("apply.yaml: topics[0] (a): partitions must be at least 1, got 0");
        assertThatThrownBy(() -> read("topics:\n  - name: a\n    configs: {retention.ms: }\n"))
                .hasMessage("apply.yaml: topics[0] (a): config retention.ms has no value");
        assertThatThrownBy(() -> read("sources:\n  - name: web\n"))
                .hasMessage("apply.yaml: sources[0] (web) has no topic");
        assertThatThrownBy(() -> read("sources:\n  - name: 'web hook'\n    topic: t\n"))
                .hasMessageContaining("sources[0] (web hook): a source name has 1 to 100 letters");
    }

    @Test
    void readsPipelinesWithTheirStepsAndAudiencesWithEveryServiceByDefault() {
        ApplyFile file = read("""
                pipelines:
                  - id: checks
                    name: Checks
                    steps:
                      - name: json
                        validJson: true
                        onFalse: {then: dead_letter, topic: bad, metadata: {why: json}, notify: true}
                      - schemaValidation: {schema: {type: object, required: [id]}}
                      - transform: {type: replace_value, path: /n, value: 5}
                audiences:
                  - topic: orders
                    direction: Produce
                    pipelines: [checks]
                  - service: billing
                    topic: orders
                    direction: consume
                    pipelines: []
                    paused: true
                """);

        PipelineSpec checks = file.pipelines().getFirst();
        assertThat(checks.id()).isEqualTo("checks");
        assertThat(checks.steps()).hasSize(3);
        assertThat(checks.steps().get(0).onFalse()).isEqualTo(new ConditionSpec("dead_letter", "bad",
                Map.of("why", "json"), true, null));
        assertThat(checks.steps().get(1).schemaValidation().schema().path("required").get(0).asText())
                .isEqualTo("id");
        assertThat(checks.steps().get(2).transform().value().asInt()).isEqualTo(5);
        assertThat(file.audiences()).containsExactly(
                new AudienceSpec("*", "orders", "produce", List.of("checks"), null),
                new AudienceSpec("billing", "orders", "consume", List.of(), true));
    }

    @Test
    void unknownKeyInAStepNamesItsLineAndPath() {
        assertThatThrownBy(() -> read("""
                pipelines:
                  - id: checks
                    steps:
                      - name: json
                        validjson: true
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("apply.yaml line 5: unknown key 'validjson' in pipelines[0].steps[0]; "
                        + "known keys: detective, inferSchema, name, onError, onFalse, onTrue, schemaValidation, "
                        + "transform, validJson, wasm");
        assertThatThrownBy(() -> read("audiences:\n  - topic: t\n    direction: produce\n    pipeline: [a]\n"))
                .hasMessageStartingWith("apply.yaml line 4: unknown key 'pipeline' in audiences[0]; known keys: "
                        + "direction, paused, pipelines, service, topic");
    }

    @Test
    void pipelinesAndAudiencesThatCannotExistAreRefused() {
        assertThatThrownBy(() -> read("pipelines:\n  - name: no id\n    steps: [{validJson: true}]\n"))
                .hasMessage("apply.yaml: pipelines[0] has no id");
        assertThatThrownBy(() -> read("pipelines:\n  - id: Bad Id\n    steps: [{validJson: true}]\n"))
                .hasMessageStartingWith("apply.yaml: pipelines[0] (Bad Id): id 'Bad Id' must be 1-100 of a-z");
        assertThatThrownBy(() -> read("pipelines:\n  - id: a\n    steps: []\n"))
                .hasMessage("apply.yaml: pipelines[0] (a): steps must list at least one step");
        assertThatThrownBy(() -> read("pipelines:\n  - id: a\n    steps: [{name: s}]\n"))
                .hasMessage("apply.yaml: pipelines[0] (a): step 's' must have exactly one of detective, transform, "
                        + "schemaValidation, validJson, inferSchema, wasm (has 0)");
        assertThatThrownBy(() -> read("pipelines:\n  - id: a\n    version: 3\n    steps: [{validJson: true}]\n"))
                .hasMessage("apply.yaml: pipelines[0] (a): version is set by the server on every change; leave it "
                        + "out");
        assertThatThrownBy(() -> read("pipelines:\n  - id: a\n    steps: [{validJson: true}]\n"
                + "  - id: a\n    steps: [{validJson: true}]\n"))
                .hasMessage("apply.yaml: pipelines[1] (a): pipeline a is listed twice");
        assertThatThrownBy(() -> read("audiences:\n  - topic: orders\n    direction: sideways\n    pipelines: [a]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("apply.yaml: audiences[0] (*/orders/sideways): direction 'sideways' must be produce or "
                        + "consume");
        assertThatThrownBy(() -> read("audiences:\n  - topic: orders\n    direction: produce\n"))
                .hasMessage("apply.yaml: audiences[0] (*/orders/produce) has no pipelines: list the ids to attach, "
                        + "in the order they run");
        assertThatThrownBy(() -> read("audiences:\n  - {topic: t, direction: produce, pipelines: [a]}\n"
                + "  - {service: '*', topic: t, direction: PRODUCE, pipelines: [b]}\n"))
                .hasMessage("apply.yaml: audiences[1] (*/t/produce): audience */t/produce is listed twice");
    }

    @Test
    void servicesAndTriggersAreReadAndTriggersCompiled() {
        ApplyFile file = read("""
                services:
                  - path: services/hello
                triggers:
                  - id: hello.orders
                    service: hello
                    filter:
                      all:
                        - exact: {type: shop.order.created}
                        - expr: "data.amount > 10"
                """);
        assertThat(file.services()).containsExactly(new ApplyFile.ServiceDir("services/hello"));
        assertThat(file.triggers().getFirst().version()).isEqualTo("latest");
        assertThat(file.triggers().getFirst().active()).isTrue();

        assertThatThrownBy(() -> read("services:\n  - dir: hello\n"))
                .hasMessageStartingWith("apply.yaml line 2: unknown key 'dir' in services[0]; known keys: path");
        assertThatThrownBy(() -> read("services:\n  - {}\n"))
                .hasMessageStartingWith("apply.yaml: services[0] has no path");
        assertThatThrownBy(() -> read("triggers:\n  - id: t\n    service: hello\n    filter: {expr: \"foo > 1\"}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("apply.yaml: triggers[0] (t): trigger 't': filter.expr: ");
        assertThatThrownBy(() -> read("triggers:\n  - id: t\n    service: hello\n    filter: {exact: {type: x}}\n"
                + "    when: always\n"))
                .hasMessageStartingWith("apply.yaml line 5: unknown key 'when' in triggers[0]");
        assertThatThrownBy(() -> read("triggers:\n  - {id: t, service: a, filter: {exact: {type: x}}}\n"
                + "  - {id: t, service: b, filter: {exact: {type: x}}}\n"))
                .hasMessage("apply.yaml: triggers[1] (t): trigger t is listed twice");
    }

    private static ApplyFile read(String yaml) {
        return ApplyFile.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "apply.yaml");
    }
}
