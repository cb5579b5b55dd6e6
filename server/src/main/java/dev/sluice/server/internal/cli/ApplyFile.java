package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.server.internal.ConfigException;
import dev.sluice.services.trigger.TriggerException;
import dev.sluice.services.trigger.TriggerRouter;
import dev.sluice.services.trigger.TriggerSpec;
import dev.sluice.sinks.SinkSpec;
import dev.sluice.sinks.SinkSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.util.stream.Collectors;

/**
 * The file {@code sluice apply -f} reads: the topics, HTTP sources, table sinks, pipelines, audiences, services and
 * triggers that should exist, in YAML. Read strictly, since a misspelt key ({@code partiton: 6}) silently ignored
 * would leave the resource unchanged while the user believes it applied: unknown keys, wrong types and duplicate keys
 * are usage errors naming the key and the line.
 *
 * @param topics    the topics, in the order they are applied
 * @param sources   the sources, applied after the topics (a source's topic may be one of them)
 * @param sinks     table sinks, the same fields as {@code POST /v1/sinks} takes
 * @param pipelines pipelines, the same fields as {@code POST /v1/pipelines} takes, applied after the sinks
 * @param audiences the pipelines attached to each audience, in order; applied last, since they name pipelines.
 *                  {@code service} defaults to {@code *} (every client) and {@code direction} is lower case once
 *                  read
 * @param services  service directories to deploy, applied after the audiences
 * @param triggers  triggers, the same fields as {@code PUT /v1/triggers/{id}} takes; applied last, since they name
 *                  services
 */
record ApplyFile(List<TopicSpec> topics, List<SourceSpec> sources, List<SinkSpec> sinks, List<PipelineSpec> pipelines,
                 List<AudienceSpec> audiences, List<ServiceDir> services, List<TriggerSpec> triggers) {
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // partitions: 2.5 is a mistake, not a request for 2.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /**
     * A topic as the file wants it; a missing field is left as it is (or the server's default on creation).
     *
     * @param configs topic configs to set; configs the file does not name are left alone
     */
    record TopicSpec(String name, Integer partitions, Map<String, String> configs) {
        public TopicSpec {
            configs = configs == null ? Map.of() : configs;
        }
    }

    /**
     * A source as the file wants it; a missing field (null) is left as it is, an empty list clears the list.
     */
    record SourceSpec(String name, String topic, List<String> headers, List<String> corsOrigins, Boolean enabled) {
    }

    /**
     * A service to deploy.
     *
     * @param path its directory (with {@code service.yaml}), relative to the file
     */
    record ServiceDir(String path) {
    }

    public ApplyFile {
        topics = topics == null ? List.of() : topics;
        sources = sources == null ? List.of() : sources;
        sinks = sinks == null ? List.of() : sinks;
        pipelines = pipelines == null ? List.of() : pipelines;
        audiences = audiences == null ? List.of() : audiences;
        services = services == null ? List.of() : services;
        triggers = triggers == null ? List.of() : triggers;
    }

    /**
     * Reads and checks a file; {@code name} is how messages refer to it.
     *
     * @throws ConfigException (exit 2) when it is not valid YAML, has unknown keys or values of the wrong type, or
     *                         describes resources that cannot exist (no name, duplicates, zero partitions)
     */
    static ApplyFile read(InputStream in, String name) {
        byte[] yaml;
        try {
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new ConfigException("cannot read " + name + ": " + e.getMessage(), e);
        }
        ApplyFile file;
        try {
            Map<String, Integer> keyLines = keyLines(yaml);
            // An empty file (or only comments) has no keys at all: nothing to apply.
            file = keyLines.isEmpty() ? null : read(yaml, name, keyLines);
        } catch (JsonProcessingException e) {
            throw new ConfigException(name + " is not valid YAML" + syntaxError(e), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + name + ": " + e.getMessage(), e);
        }
        file = file == null ? new ApplyFile(null, null, null, null, null, null, null) : file;
        return file.validate(name);
    }

    private static ApplyFile read(byte[] yaml, String name, Map<String, Integer> keyLines) throws IOException {
        try {
            return YAML.readValue(yaml, ApplyFile.class);
        } catch (UnrecognizedPropertyException e) {
            // Jackson reports where the enclosing mapping ended (it buffers a record's properties until all are
            // read), so the key's own line comes from the scan instead.
            Integer line = keyLines.get(path(e.getPath()));
            return fail(name + (line == null ? at(e.getLocation()) : " line " + line) + ": unknown key '"
                    + e.getPropertyName() + "'" + where(e) + "; known keys: " + known(e.getKnownPropertyIds()), e);
        } catch (MismatchedInputException e) {
            return fail(name + at(e.getLocation()) + ": " + expected(e), e);
        } catch (JsonMappingException e) {
            return fail(name + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        }
    }

    private static ApplyFile fail(String message, Exception cause) {
        throw new ConfigException(message, cause);
    }

    /**
     * The line of every key in the file, by path ({@code topics[0].partitions}); also checks the YAML syntax and
     * duplicate keys, so those errors come before any about the content.
     */
    static Map<String, Integer> keyLines(byte[] yaml) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        Deque<Level> levels = new ArrayDeque<>();
        try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    levels.pop();
                    continue;
                }
                if (token == JsonToken.FIELD_NAME) {
                    levels.peek().key = parser.currentName();
                    lines.put(Level.path(levels), parser.currentTokenLocation().getLineNr());
                    continue;
                }
                if (!levels.isEmpty() && levels.peek().list) {
                    levels.peek().index++;
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    levels.push(new Level(token == JsonToken.START_ARRAY));
                }
            }
        }
        return lines;
    }

    /** One open mapping (at its current key) or list (at its current index) while scanning for key lines. */
    private static final class Level {
        String key;
        int index = -1;
        private final boolean list;

        Level(boolean list) {
            this.list = list;
        }

        /** {@code topics[0].partitions}: the same form as the paths made from Jackson's references. */
        static String path(Deque<Level> levels) {
            StringBuilder path = new StringBuilder();
            levels.descendingIterator().forEachRemaining(level -> {
                if (level.list) {
                    path.append('[').append(level.index).append(']');
                } else if (level.key != null) {
                    path.append(path.isEmpty() ? "" : ".").append(level.key);
                }
            });
            return path.toString();
        }
    }

    /** Checks every resource; the same file with its audiences in their checked form ({@code service} set). */
    private ApplyFile validate(String name) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < topics.size(); i++) {
            TopicSpec topic = topics.get(i);
            if (topic == null || topic.name() == null || topic.name().isBlank()) {
                throw new ConfigException(name + ": topics[" + i + "] has no name");
            }
            String where = name + ": topics[" + i + "] (" + topic.name() + ")";
            if (!seen.add(topic.name())) {
                throw new ConfigException(where + ": topic " + topic.name() + " is listed twice");
            }
            if (topic.partitions() != null && topic.partitions() < 1) {
                throw new ConfigException(where + ": partitions must be at least 1, got " + topic.partitions());
            }
            topic.configs().forEach((key, value) -> {
                // YAML reads "retention.ms:" as null or as an empty string depending on the style; neither is a value.
                if (value == null || value.isEmpty()) {
                    throw new ConfigException(where + ": config " + key + " has no value");
                }
            });
        }
        seen.clear();
        for (int i = 0; i < sources.size(); i++) {
            SourceSpec source = sources.get(i);
            if (source == null || source.name() == null || source.name().isBlank()) {
                throw new ConfigException(name + ": sources[" + i + "] has no name");
            }
            String where = name + ": sources[" + i + "] (" + source.name() + ")";
            if (!SOURCE_NAME.matcher(source.name()).matches()) {
                throw new ConfigException(where + ": a source name has 1 to 100 letters, digits, '.', '_' or '-'");
            }
            if (!seen.add(source.name())) {
                throw new ConfigException(where + ": source " + source.name() + " is listed twice");
            }
            if (source.topic() == null || source.topic().isBlank()) {
                throw new ConfigException(where + " has no topic");
            }
            checkList(where, "headers", source.headers());
            checkList(where, "corsOrigins", source.corsOrigins());
        }
        seen.clear();
        for (int i = 0; i < sinks.size(); i++) {
            SinkSpec sink = sinks.get(i);
            if (sink == null || sink.name() == null || sink.name().isBlank()) {
                throw new ConfigException(name + ": sinks[" + i + "] has no name");
            }
            String where = name + ": sinks[" + i + "] (" + sink.name() + ")";
            if (!seen.add(sink.name())) {
                throw new ConfigException(where + ": sink " + sink.name() + " is listed twice");
            }
            try {
                sink.check();
            } catch (SinkSpecException e) {
                throw new ConfigException(where + ": " + e.getMessage(), e);
            }
        }
        seen.clear();
        for (int i = 0; i < pipelines.size(); i++) {
            PipelineSpec pipeline = pipelines.get(i);
            if (pipeline == null || pipeline.id() == null || pipeline.id().isBlank()) {
                throw new ConfigException(name + ": pipelines[" + i + "] has no id");
            }
            String where = name + ": pipelines[" + i + "] (" + pipeline.id() + ")";
            if (!seen.add(pipeline.id())) {
                throw new ConfigException(where + ": pipeline " + pipeline.id() + " is listed twice");
            }
            if (pipeline.version() != null) {
                throw new ConfigException(where + ": version is set by the server on every change; leave it out");
            }
            try {
                pipeline.check();
            } catch (PipelineException e) {
                throw new ConfigException(where + ": " + e.getMessage(), e);
            }
        }
        seen.clear();
        List<AudienceSpec> checked = new ArrayList<>();
        for (int i = 0; i < audiences.size(); i++) {
            AudienceSpec audience = audiences.get(i);
            if (audience == null) {
                throw new ConfigException(name + ": audiences[" + i + "] is empty");
            }
            if (audience.service() == null) {
                audience = new AudienceSpec(AudienceSpec.ANY_SERVICE, audience.topic(), audience.direction(),
                        audience.pipelines(), audience.paused());
            }
            String where = name + ": audiences[" + i + "] (" + audience.key() + ")";
            if (audience.pipelines() == null) {
                throw new ConfigException(where + " has no pipelines: list the ids to attach, in the order they run");
            }
            try {
                audience = audience.checked();
            } catch (PipelineException e) {
                throw new ConfigException(where + ": " + e.getMessage(), e);
            }
            if (!seen.add(audience.key())) {
                throw new ConfigException(name + ": audiences[" + i + "] (" + audience.key() + "): audience "
                        + audience.key() + " is listed twice");
            }
            checked.add(audience);
        }
        seen.clear();
        for (int i = 0; i < services.size(); i++) {
            ServiceDir service = services.get(i);
            if (service == null || service.path() == null || service.path().isBlank()) {
                throw new ConfigException(name + ": services[" + i + "] has no path (the service's directory, "
                        + "relative to " + name + ")");
            }
            if (!seen.add(service.path())) {
                throw new ConfigException(name + ": services[" + i + "] (" + service.path() + ") is listed twice");
            }
        }
        seen.clear();
        for (int i = 0; i < triggers.size(); i++) {
            TriggerSpec trigger = triggers.get(i);
            if (trigger == null || trigger.id() == null || trigger.id().isBlank()) {
                throw new ConfigException(name + ": triggers[" + i + "] has no id");
            }
            String where = name + ": triggers[" + i + "] (" + trigger.id() + ")";
            if (!seen.add(trigger.id())) {
                throw new ConfigException(where + ": trigger " + trigger.id() + " is listed twice");
            }
            try {
                TriggerRouter.validate(trigger);
            } catch (TriggerException e) {
                throw new ConfigException(where + ": " + e.getMessage(), e);
            }
        }
        return new ApplyFile(topics, sources, sinks, pipelines, checked, services, triggers);
    }

    private static void checkList(String where, String key, List<String> values) {
        if (values != null && values.stream().anyMatch(value -> value == null || value.isBlank())) {
            throw new ConfigException(where + ": " + key + " has an empty entry");
        }
    }

    /** {@code line 3: found character '\t' ...}: SnakeYAML's own problem and line, without its multi-line excerpt. */
    private static String syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            return " line " + (yaml.getProblemMark().getLine() + 1) + ": " + yaml.getProblem();
        }
        return at(e.getLocation()) + ": " + e.getOriginalMessage().lines().findFirst().orElse("");
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }

    /** {@code in topics[0]}: the path to the mapping the key sits in, as the user wrote it. */
    private static String where(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        String text = path(path.subList(0, Math.max(0, path.size() - 1)));
        return text.isEmpty() ? " at the top level" : " in " + text;
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                text.append(text.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                text.append('[').append(reference.getIndex()).append(']');
            }
        }
        return text.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(", "));
    }

    private static String expected(MismatchedInputException e) {
        String key = path(e.getPath());
        Class<?> type = e.getTargetType();
        String wanted;
        if (type == null) {
            wanted = "a value of another type";
        } else if (type == Integer.class || type == int.class) {
            wanted = "a whole number";
        } else if (type == Boolean.class || type == boolean.class) {
            wanted = "true or false";
        } else if (List.class.isAssignableFrom(type)) {
            wanted = "a list";
        } else if (type == String.class) {
            wanted = "a single value";
        } else {
            wanted = "a mapping of keys to values";
        }
        return (key.isEmpty() ? "the file" : key) + " should be " + wanted
                + (key.isEmpty() ? " with topics, sources, sinks, pipelines, audiences, services and triggers" : "");
    }
}
