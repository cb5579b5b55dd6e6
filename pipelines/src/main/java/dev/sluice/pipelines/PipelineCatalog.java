package dev.sluice.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pipelines, audiences and WebAssembly modules as records of the compacted topic {@value #TOPIC}, and the chains
 * they make. Keys are {@code pipeline/<id>} (a {@link PipelineSpec} as JSON), {@code audience/<service>/<topic>/<dir>}
 * (an {@link AudienceSpec}) and {@code wasm/<id>} (a module's bytes; the id is derived from them); a tombstone
 * removes one. Whoever follows the topic (the broker from its log, the HTTP API through a consumer, an SDK through
 * the control plane) feeds records to {@link #apply} in offset order and asks for chains.
 *
 * <p>Changes are serialised and rebuild an immutable snapshot; lookups on the record path read the snapshot with
 * one volatile read and two map lookups, and a topic without pipelines costs one lookup.
 */
public final class PipelineCatalog {
    public static final String TOPIC = "_sluice_pipelines";
    public static final String PIPELINE_PREFIX = "pipeline/";
    public static final String AUDIENCE_PREFIX = "audience/";
    public static final String WASM_PREFIX = "wasm/";
    public static final String TAIL_PREFIX = "tail/";
    /** {@code schema/<audience>}: the schema the broker inferred for an audience, as {@link InferredSchemas.Versioned}. */
    public static final String SCHEMA_PREFIX = "schema/";
    /** Where the broker writes what it samples for open tails. */
    public static final String TAIL_TOPIC = "_sluice_tail";

    /**
     * An open tail on an audience: while it has not expired, whoever runs the audience's pipelines samples up to
     * {@code perSecond} records a second, before and after. The tail's owner writes it again before it expires and
     * deletes it when the tail closes, so samples (which may hold what the pipelines mask) are taken only while
     * someone watches.
     */
    public record TailSpec(String audience, int perSecond, long expiresAtMs) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, PipelineSpec> pipelines = new TreeMap<>();
    private final Map<String, AudienceSpec> audiences = new TreeMap<>();
    private final Map<String, byte[]> modules = new TreeMap<>();
    private final Map<String, TailSpec> tails = new TreeMap<>();
    private final Map<String, InferredSchemas.Versioned> published = new TreeMap<>();
    private final InferredSchemas schemas;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public PipelineCatalog(InferredSchemas schemas) {
        this.schemas = schemas;
    }

    public PipelineCatalog() {
        this(new InferredSchemas());
    }

    /** The chains of one topic: for every client ({@code *}) and per named service (which include the first). */
    private record TopicChains(PipelineChain anyService, Map<String, PipelineChain> byService) {
        PipelineChain forService(String service) {
            PipelineChain chain = service == null ? null : byService.get(service);
            return chain != null ? chain : anyService;
        }
    }

    private record Snapshot(Map<String, TopicChains> produce, Map<String, TopicChains> consume,
                            Map<String, String> problems, Map<String, TailSpec> tails) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of(), Map.of());

        Snapshot withTails(Map<String, TailSpec> openTails) {
            return new Snapshot(produce, consume, problems, openTails);
        }
    }

    /** Whether any tail lease is held: the broker samples nothing, and builds nothing to ask, while none is. */
    public boolean tailsOpen() {
        return !snapshot.tails().isEmpty();
    }

    /**
     * The samples per second an open tail wants of an audience at {@code nowMs}, 0 when none is open: the broker
     * asks this for each batch it runs through an audience's pipelines.
     */
    public int tailRate(String audience, long nowMs) {
        TailSpec tail = snapshot.tails().get(audience);
        return tail == null || tail.expiresAtMs() < nowMs ? 0 : tail.perSecond();
    }

    /**
     * Applies one record of the topic.
     *
     * @param value the record's value, null for a tombstone
     * @return false when the record could not be read (it is skipped, and the rest still applies)
     */
    public synchronized boolean apply(String key, byte[] value) {
        try {
            if (key.startsWith(PIPELINE_PREFIX)) {
                String id = key.substring(PIPELINE_PREFIX.length());
                if (value == null) {
                    pipelines.remove(id);
                } else {
                    pipelines.put(id, MAPPER.readValue(value, PipelineSpec.class));
                }
            } else if (key.startsWith(AUDIENCE_PREFIX)) {
                String id = key.substring(AUDIENCE_PREFIX.length());
                if (value == null) {
                    audiences.remove(id);
                } else {
                    audiences.put(id, MAPPER.readValue(value, AudienceSpec.class).checked());
                }
            } else if (key.startsWith(WASM_PREFIX)) {
                String id = key.substring(WASM_PREFIX.length());
                if (value == null) {
                    modules.remove(id);
                } else {
                    modules.put(id, value.clone());
                }
            } else if (key.startsWith(SCHEMA_PREFIX)) {
                String audience = key.substring(SCHEMA_PREFIX.length());
                if (value == null) {
                    published.remove(audience);
                } else {
                    InferredSchemas.Versioned versioned = MAPPER.readValue(value, InferredSchemas.Versioned.class);
                    published.put(audience, versioned);
                    schemas.seed(audience, versioned);
                }
                // Not part of any chain: nothing to rebuild.
                return true;
            } else if (key.startsWith(TAIL_PREFIX)) {
                String id = key.substring(TAIL_PREFIX.length());
                if (value == null) {
                    tails.remove(id);
                } else {
                    tails.put(id, MAPPER.readValue(value, TailSpec.class));
                }
                // A lease (renewed every 20 s while a tail is open) changes no chain: no recompiling, no pushes.
                snapshot = snapshot.withTails(openTails());
                return true;
            } else {
                return false;
            }
        } catch (IOException | PipelineException e) {
            return false;
        }
        rebuild();
        for (Runnable listener : listeners) {
            listener.run();
        }
        return true;
    }

    /**
     * Runs {@code listener} after every change, on the thread that applied it (so it should only hand work off):
     * how the control plane learns that clients need new pipelines.
     */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public synchronized List<PipelineSpec> pipelines() {
        return List.copyOf(pipelines.values());
    }

    public synchronized Optional<PipelineSpec> pipeline(String id) {
        return Optional.ofNullable(pipelines.get(id));
    }

    public synchronized List<AudienceSpec> audiences() {
        return List.copyOf(audiences.values());
    }

    public synchronized Optional<AudienceSpec> audience(String key) {
        return Optional.ofNullable(audiences.get(key));
    }

    /** Module ids and sizes. */
    public synchronized Map<String, Integer> wasmModules() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        modules.forEach((id, bytes) -> sizes.put(id, bytes.length));
        return sizes;
    }

    public synchronized byte[] wasmModule(String id) {
        byte[] bytes = modules.get(id);
        return bytes == null ? null : bytes.clone();
    }

    public InferredSchemas schemas() {
        return schemas;
    }

    /** The schemas published for audiences (by whoever runs their pipelines), by audience key. */
    public synchronized Map<String, InferredSchemas.Versioned> publishedSchemas() {
        return Map.copyOf(published);
    }

    /**
     * Why attached pipelines are not running: audience key → message (a pipeline that does not exist or does not
     * compile, for example because its wasm module is missing). Empty when all run.
     */
    public Map<String, String> problems() {
        return snapshot.problems();
    }

    /** The chain for records a client writes to a topic, or null when none applies. */
    public PipelineChain produceChain(String topic, String service) {
        TopicChains chains = snapshot.produce().get(topic);
        return chains == null ? null : chains.forService(service);
    }

    /** The chain for records a client reads from a topic, or null when none applies. */
    public PipelineChain consumeChain(String topic, String service) {
        TopicChains chains = snapshot.consume().get(topic);
        return chains == null ? null : chains.forService(service);
    }

    /** Whether any consume audience is attached: the fetch path stays zero-copy while none is. */
    public boolean hasConsumeChains() {
        return !snapshot.consume().isEmpty();
    }

    private void rebuild() {
        Map<String, Pipeline> compiled = new HashMap<>();
        Map<String, String> compileErrors = new HashMap<>();
        for (PipelineSpec spec : pipelines.values()) {
            try {
                compiled.put(spec.id(), Pipeline.compile(spec, modules::get));
            } catch (PipelineException e) {
                compileErrors.put(spec.id(), e.getMessage());
            }
        }
        Map<String, String> problems = new TreeMap<>();
        // Group audiences by direction and topic: the * audience first, then each named service's own.
        Map<String, Map<String, List<Pipeline>>> produce = new HashMap<>();
        Map<String, Map<String, List<Pipeline>>> consume = new HashMap<>();
        for (AudienceSpec audience : audiences.values()) {
            if (audience.pausedNow()) {
                continue;
            }
            List<Pipeline> attached = new ArrayList<>();
            for (String id : audience.pipelines()) {
                Pipeline pipeline = compiled.get(id);
                if (pipeline != null) {
                    attached.add(pipeline);
                } else {
                    problems.put(audience.key(), compileErrors.containsKey(id)
                            ? "pipeline '" + id + "' does not compile: " + compileErrors.get(id)
                            : "pipeline '" + id + "' does not exist");
                }
            }
            if (attached.isEmpty()) {
                continue;
            }
            Map<String, Map<String, List<Pipeline>>> byTopic =
                    AudienceSpec.PRODUCE.equals(audience.direction()) ? produce : consume;
            byTopic.computeIfAbsent(audience.topic(), t -> new HashMap<>()).put(audience.service(), attached);
        }
        snapshot = new Snapshot(chains(produce, AudienceSpec.PRODUCE), chains(consume, AudienceSpec.CONSUME),
                Map.copyOf(problems), openTails());
    }

    /** The leases by audience; several on one audience count as one with the highest rate and latest expiry. */
    private Map<String, TailSpec> openTails() {
        Map<String, TailSpec> byAudience = new HashMap<>();
        for (TailSpec tail : tails.values()) {
            byAudience.merge(tail.audience(), tail, (a, b) -> new TailSpec(a.audience(),
                    Math.max(a.perSecond(), b.perSecond()), Math.max(a.expiresAtMs(), b.expiresAtMs())));
        }
        return Map.copyOf(byAudience);
    }

    private Map<String, TopicChains> chains(Map<String, Map<String, List<Pipeline>>> byTopic, String direction) {
        Map<String, TopicChains> result = new HashMap<>();
        byTopic.forEach((topic, byService) -> {
            List<Pipeline> any = byService.getOrDefault(AudienceSpec.ANY_SERVICE, List.of());
            PipelineChain anyChain = any.isEmpty() ? null
                    : PipelineChain.of(AudienceSpec.key(AudienceSpec.ANY_SERVICE, topic, direction), any, schemas);
            Map<String, PipelineChain> named = new HashMap<>();
            byService.forEach((service, own) -> {
                if (!service.equals(AudienceSpec.ANY_SERVICE)) {
                    List<Pipeline> all = new ArrayList<>(any);
                    for (Pipeline pipeline : own) {
                        if (all.stream().noneMatch(p -> p.id().equals(pipeline.id()))) {
                            all.add(pipeline);
                        }
                    }
                    named.put(service, PipelineChain.of(AudienceSpec.key(service, topic, direction), all, schemas));
                }
            });
            result.put(topic, new TopicChains(anyChain, Map.copyOf(named)));
        });
        return Map.copyOf(result);
    }

    /** The id of a wasm module: the first 16 hex digits of its SHA-256, so the same module uploaded twice is one. */
    public static String wasmId(byte[] module) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(module);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The record key of a pipeline. */
    public static String pipelineKey(String id) {
        return PIPELINE_PREFIX + id;
    }

    public static String audienceKey(String audienceKey) {
        return AUDIENCE_PREFIX + audienceKey;
    }

    public static String schemaKey(String audience) {
        return SCHEMA_PREFIX + audience;
    }

    public static String tailKey(String id) {
        return TAIL_PREFIX + id;
    }

    public static String wasmKey(String id) {
        return WASM_PREFIX + id;
    }

    /** A spec as the topic stores it. */
    public static byte[] json(Object spec) {
        try {
            return MAPPER.writeValueAsBytes(spec);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise " + spec, e);
        }
    }
}
