package dev.sluice.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Builds pipelines from specs and runs records through them, as the broker does. */
final class Runs {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Runs() {
    }

    /** JSON written with single quotes, for readable tables: {@code {'a':1}}. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static Pipeline pipeline(String id, StepSpec... steps) {
        return Pipeline.compile(new PipelineSpec(id, null, 1, List.of(steps)), WasmModules.NONE);
    }

    static ChainResult run(String payload, StepSpec... steps) {
        return run(payload.getBytes(StandardCharsets.UTF_8), steps);
    }

    static ChainResult run(byte[] payload, StepSpec... steps) {
        return chain(pipeline("p", steps)).process(payload, "topic", true);
    }

    static PipelineChain chain(Pipeline... pipelines) {
        return PipelineChain.of("svc/topic/produce", List.of(pipelines), new InferredSchemas());
    }

    static StepSpec detective(String type, String path, String... args) {
        return StepSpec.detective(null, new DetectiveSpec(type, path, args.length == 0 ? null : List.of(args), null));
    }

    static StepSpec negated(String type, String path, String... args) {
        return StepSpec.detective(null, new DetectiveSpec(type, path, args.length == 0 ? null : List.of(args), true));
    }

    static StepSpec transform(String type, String path) {
        return StepSpec.transform(null, new TransformSpec(type, path));
    }

    static StepSpec replace(String path, String valueJson) {
        return StepSpec.transform(null, new TransformSpec("replace_value", path, parse(valueJson), null, null, null,
                null));
    }

    static StepSpec truncate(String path, Integer length, Integer percent) {
        return StepSpec.transform(null, new TransformSpec("truncate", path, null, length, percent, null, null));
    }

    static StepSpec extract(boolean flatten, String... paths) {
        return StepSpec.transform(null, new TransformSpec("extract", null, null, null, null, Arrays.asList(paths),
                flatten ? true : null));
    }

    /** The answer of step {@code index} of the (only) pipeline. */
    static StepReport step(ChainResult result, int index) {
        assertThat(result.trace()).hasSizeGreaterThan(index);
        return result.trace().get(index);
    }

    /** The value the chain produced, which must be JSON. */
    static JsonNode value(ChainResult result) {
        return parse(new String(result.value(), StandardCharsets.UTF_8));
    }

    static String text(ChainResult result) {
        return new String(result.value(), StandardCharsets.UTF_8);
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
