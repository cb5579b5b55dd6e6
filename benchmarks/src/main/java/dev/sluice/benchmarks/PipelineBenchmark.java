package dev.sluice.benchmarks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.pipelines.ChainResult;
import dev.sluice.pipelines.DetectiveSpec;
import dev.sluice.pipelines.InferredSchemas;
import dev.sluice.pipelines.Pipeline;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.pipelines.StepSpec;
import dev.sluice.pipelines.TransformSpec;
import dev.sluice.pipelines.Verdict;
import dev.sluice.pipelines.WasmModules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pipeline steps on a 1 KiB JSON order event, one record per op, through {@link PipelineChain#process} as the broker
 * calls it on produce (no trace):
 * <ul>
 *   <li>{@link #emailOnPathThenMask}: {@code pii_email} on {@code user.email}, then {@code mask} on the match;</li>
 *   <li>{@link #anyPiiInPayloadThenMask}: {@code pii_any} over every string and number, then {@code mask} (the
 *       event holds an e-mail address, a phone number and a card number);</li>
 *   <li>{@link #replaceOnPath}: {@code replace_value} on {@code payment.card_last4};</li>
 *   <li>{@link #emailOnPathNoMatch} and {@link #anyPiiInPayloadNoMatch}: the detective alone on an event without
 *       PII, the cost every clean record pays;</li>
 *   <li>{@link #jacksonStreamingPass}: Jackson's parser reading every token of the event, the floor for any step
 *       here, since each reads the whole payload to be sure it is JSON;</li>
 *   <li>{@link #jacksonTreeRoundTrip}: parsing the event into a Jackson tree and writing it out again, what a
 *       tree-based step would pay before doing anything, for scale.</li>
 * </ul>
 * On a shared machine compare a step with the two Jackson references of the same run rather than with absolute
 * figures from another.
 * Run with {@code -prof gc} for bytes allocated per op ({@code gc.alloc.rate.norm}); the changed value itself (the
 * 1 KiB copy) is part of it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PipelineBenchmark {
    /** An order event of about 1 KiB: nested objects, arrays of objects, numbers, free text. */
    static final String ORDER = """
            {"event":"order.created","version":3,"id":"ord_7f3a9c21e5b84d06","created_at":"2025-06-14T09:21:37.512Z",\
            "user":{"id":84213,"name":"Ada Lovelace","email":"ada.lovelace@example.com","phone":"+44 20 7946 0958",\
            "locale":"en-GB","tier":"gold","signup_year":2019},\
            "shipping":{"street":"12 Analytical Row","city":"London","postcode":"NW1 6XE","country":"GB",\
            "method":"express","instructions":"Leave with the concierge if nobody answers"},\
            "items":[{"sku":"BK-ENG-001","title":"Notes on the Analytical Engine","qty":1,"unit_price":24.5,\
            "tags":["books","history","computing"]},{"sku":"PN-FTN-114","title":"Fountain pen, black","qty":2,\
            "unit_price":12.75,"tags":["stationery"]},{"sku":"NB-A5-220","title":"A5 notebook, dotted","qty":3,\
            "unit_price":6.2,"tags":["stationery","paper"]}],\
            "payment":{"method":"card","card_last4":"1111","card":"4111 1111 1111 1111","currency":"GBP",\
            "subtotal":68.6,"shipping":4.99,"tax":13.72,"total":87.31,"captured":true},\
            "discounts":[{"code":"SPRING10","amount":6.86}],"channel":"web","session":"s-5c1e8d",\
            "ab_tests":{"checkout_v2":"b","recs_model":"m42"},"notes":null}""";

    /** The same shape without PII: no address, phone or card number anywhere. */
    static final String CLEAN = ORDER
            .replace("ada.lovelace@example.com", "redacted-at-source")
            .replace("+44 20 7946 0958", "not given")
            .replace("4111 1111 1111 1111", "tokenised");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private byte[] order;
    private byte[] clean;
    private PipelineChain emailMask;
    private PipelineChain anyMask;
    private PipelineChain replace;
    private PipelineChain emailOnly;
    private PipelineChain anyOnly;

    @Setup
    public void compile() {
        order = ORDER.getBytes(StandardCharsets.UTF_8);
        clean = CLEAN.getBytes(StandardCharsets.UTF_8);
        if (order.length < 1000 || order.length > 1100) {
            throw new IllegalStateException("the event should be about 1 KiB, is " + order.length + " bytes");
        }
        StepSpec mask = StepSpec.transform("mask", new TransformSpec("mask", null));
        emailMask = chain(StepSpec.detective("email", new DetectiveSpec("pii_email", "user.email")), mask);
        anyMask = chain(StepSpec.detective("pii", new DetectiveSpec("pii_any", null)), mask);
        replace = chain(StepSpec.transform("replace", new TransformSpec("replace_value", "payment.card_last4",
                TextNode.valueOf("****"), null, null, null, null)));
        emailOnly = chain(StepSpec.detective("email", new DetectiveSpec("pii_email", "user.email")));
        anyOnly = chain(StepSpec.detective("pii", new DetectiveSpec("pii_any", null)));
        expect(emailMask.process(order, "orders", false), true);
        expect(anyMask.process(order, "orders", false), true);
        expect(replace.process(order, "orders", false), true);
        expect(emailOnly.process(clean, "orders", false), false);
        expect(anyOnly.process(clean, "orders", false), false);
        expect(anyMask.process(clean, "orders", false), false);
    }

    private static PipelineChain chain(StepSpec... steps) {
        Pipeline pipeline = Pipeline.compile(new PipelineSpec("bench", null, 1, List.of(steps)), WasmModules.NONE);
        return PipelineChain.of("bench/orders/produce", List.of(pipeline), new InferredSchemas());
    }

    /** Guards against measuring a pipeline that does not do what its name says. */
    private static void expect(ChainResult result, boolean changed) {
        if (result.verdict() != Verdict.PASS || result.changed() != changed) {
            throw new IllegalStateException("unexpected result: " + result);
        }
    }

    @Benchmark
    public ChainResult emailOnPathThenMask() {
        return emailMask.process(order, "orders", false);
    }

    @Benchmark
    public ChainResult anyPiiInPayloadThenMask() {
        return anyMask.process(order, "orders", false);
    }

    @Benchmark
    public ChainResult replaceOnPath() {
        return replace.process(order, "orders", false);
    }

    @Benchmark
    public ChainResult emailOnPathNoMatch() {
        return emailOnly.process(clean, "orders", false);
    }

    @Benchmark
    public ChainResult anyPiiInPayloadNoMatch() {
        return anyOnly.process(clean, "orders", false);
    }

    @Benchmark
    public int jacksonStreamingPass() throws IOException {
        int tokens = 0;
        try (JsonParser parser = MAPPER.getFactory().createParser(order)) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        }
        return tokens;
    }

    @Benchmark
    public byte[] jacksonTreeRoundTrip() throws IOException {
        return MAPPER.writeValueAsBytes(MAPPER.readTree(order));
    }
}
