package dev.sluice.server.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code sluice.yaml} into flat settings: nested mappings ({@code log: {flush: always}}) and dotted keys
 * ({@code log.flush: always}) mean the same, so both spellings, and mixes of them, are accepted.
 *
 * <p>Scalars are taken as written (through the streaming parser, not a tree) so that {@code 0123} or {@code 1e3}
 * reach the key's own parser unchanged instead of being reinterpreted as YAML numbers. A list of plain values is
 * joined with commas ({@code cleanup.policy: [compact, delete]}). An empty value ({@code token:} or
 * {@code token: ''}) leaves the key unset, as an empty environment variable does.
 */
public final class YamlSettings {
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlSettings() {
    }

    /**
     * Reads and flattens {@code file}.
     *
     * @throws ConfigException when the file cannot be read, is not YAML, or sets a key twice
     */
    public static List<Setting> read(Path file) {
        Source source = Source.file(file);
        Map<String, String> flat = new LinkedHashMap<>();
        try (JsonParser parser = YAML.createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return List.of();
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(source + ": expected keys and values (a YAML mapping) at the top level");
            }
            readMapping(parser, "", flat, source);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + " is not valid YAML: " + e.getOriginalMessage() + at(e.getLocation()),
                    e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + source + ": " + e.getMessage(), e);
        }
        List<Setting> settings = new ArrayList<>();
        flat.forEach((key, value) -> settings.add(new Setting(key, value, source)));
        return settings;
    }

    private static void readMapping(JsonParser parser, String prefix, Map<String, String> out, Source source)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix + parser.currentName();
            JsonToken value = parser.nextToken();
            switch (value) {
                case START_OBJECT -> readMapping(parser, key + ".", out, source);
                case START_ARRAY -> put(out, key, readList(parser, key, source), source);
                case VALUE_NULL -> {
                    // "key:" with no value: the user left the key unset, e.g. a token still to be filled in.
                }
                default -> {
                    if (!parser.getText().isEmpty()) {
                        put(out, key, parser.getText(), source);
                    }
                }
            }
        }
    }

    private static String readList(JsonParser parser, String key, Source source) throws IOException {
        List<String> items = new ArrayList<>();
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            if (!item.isScalarValue()) {
                throw new ConfigException(key + " in " + source + ": a list may only hold plain values");
            }
            items.add(parser.getText());
        }
        return String.join(",", items);
    }

    private static void put(Map<String, String> out, String key, String value, Source source) {
        if (out.putIfAbsent(key, value) != null) {
            throw new ConfigException(
                    key + " is set twice in " + source + " (nested and dotted spellings are the same key)");
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " at line " + location.getLineNr();
    }
}
