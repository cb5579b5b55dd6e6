package dev.sluice.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import dev.sluice.services.trigger.FilterSpec;
import dev.sluice.services.trigger.TriggerRouter;
import dev.sluice.services.trigger.TriggerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Events matched against 1,000 triggers by {@link TriggerRouter#match}, one event per op, on one thread: the issue's
 * goal is at least 100,000 events/s on one core. Score in ops/s = events/s.
 * <p>
 * The triggers, over 200 event types ({@code <domain>.<entity>.<verb>}) and 10 sources:
 * <ul>
 *   <li>800 {@code exact} on type, a quarter of them also on {@code subject} or the {@code tenant} extension;</li>
 *   <li>100 {@code all} of an {@code exact} type and a CEL expression on the data ({@code data.amount > n}, with
 *       {@code data.currency} for some): looked up by type, CEL run only for events of that type;</li>
 *   <li>60 {@code prefix}/{@code suffix} on type or source, 30 {@code all} of a source prefix and CEL, and 10
 *       {@code any} of two types: the 100 tried on every event.</li>
 * </ul>
 * 1,024 events cycle, of the 200 types and 20 unknown ones, each with JSON data of four fields; on average an event
 * fires about 4 triggers (4.15 over the 1,024).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class TriggerRouterBenchmark {
    private static final String[] DOMAINS = {"shop", "billing", "iot", "user", "shipping"};
    private static final String[] ENTITIES = {"order", "invoice", "device", "account", "parcel", "cart", "payment",
        "sensor", "session", "refund"};
    private static final String[] VERBS = {"created", "updated", "deleted", "failed"};
    private static final String[] SOURCES = {"/eu/shop", "/us/shop", "/eu/billing", "/us/billing", "/iot/gw-1",
        "/iot/gw-2", "/auth", "/crm", "/wms/north", "/wms/south"};

    private final TriggerRouter router = new TriggerRouter();
    private final Event[] events = new Event[1024];
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(7);
        List<String> types = new ArrayList<>();
        for (String domain : DOMAINS) {
            for (String entity : ENTITIES) {
                for (String verb : VERBS) {
                    types.add(domain + "." + entity + "." + verb);
                }
            }
        }
        List<TriggerSpec> triggers = new ArrayList<>(1_000);
        for (int i = 0; i < 800; i++) {
            String type = types.get(random.nextInt(types.size()));
            FilterSpec filter = switch (i % 8) {
                case 0 -> FilterSpec.all(FilterSpec.exact("type", type), FilterSpec.exact("tenant", "t" + (i % 7)));
                case 1 -> FilterSpec.all(FilterSpec.exact("type", type), FilterSpec.prefix("subject", "cust-1"));
                default -> FilterSpec.exact("type", type);
            };
            triggers.add(TriggerSpec.of("exact-" + i, "svc-" + (i % 150), "latest", filter));
        }
        for (int i = 0; i < 100; i++) {
            String type = types.get(random.nextInt(types.size()));
            String expression = i % 2 == 0 ? "data.amount > " + (random.nextInt(900) + 100)
                    : "data.currency == 'EUR' && data.amount >= " + random.nextInt(500);
            triggers.add(TriggerSpec.of("cel-" + i, "svc-" + (i % 150), "latest",
                    FilterSpec.all(FilterSpec.exact("type", type), FilterSpec.expr(expression))));
        }
        for (int i = 0; i < 60; i++) {
            FilterSpec filter = switch (i % 3) {
                case 0 -> FilterSpec.prefix("type", DOMAINS[i % DOMAINS.length] + "." + ENTITIES[i % ENTITIES.length]
                        + ".");
                case 1 -> FilterSpec.suffix("type", "." + ENTITIES[i % ENTITIES.length] + ".failed");
                default -> FilterSpec.prefix("source", SOURCES[i % SOURCES.length] + "/zone-" + i);
            };
            triggers.add(TriggerSpec.of("scan-" + i, "svc-" + (i % 150), "latest", filter));
        }
        for (int i = 0; i < 30; i++) {
            triggers.add(TriggerSpec.of("scan-cel-" + i, "svc-" + (i % 150), "latest", FilterSpec.all(
                    FilterSpec.prefix("source", SOURCES[i % SOURCES.length]),
                    FilterSpec.suffix("type", "." + VERBS[i % VERBS.length]),
                    FilterSpec.expr("data.region == 'r" + (i % 5) + "' && data.amount > 500"))));
        }
        for (int i = 0; i < 10; i++) {
            triggers.add(TriggerSpec.of("any-" + i, "svc-" + i, "latest", FilterSpec.any(
                    FilterSpec.exact("type", types.get(random.nextInt(types.size()))),
                    FilterSpec.exact("type", types.get(random.nextInt(types.size()))))));
        }
        router.replaceAll(triggers);

        JsonNodeFactory json = JsonNodeFactory.instance;
        for (int i = 0; i < events.length; i++) {
            String type = i % 11 == 0 ? "unknown.thing-" + (i % 20) + ".happened"
                    : types.get(random.nextInt(types.size()));
            ObjectNode data = json.objectNode()
                    .put("amount", random.nextInt(1_000))
                    .put("currency", random.nextBoolean() ? "EUR" : "USD")
                    .put("region", "r" + random.nextInt(5))
                    .put("note", "order from the web shop");
            events[i] = Event.of("evt-" + i, type, SOURCES[random.nextInt(SOURCES.length)], new EventData.Json(data))
                    .withSubject("cust-" + random.nextInt(500))
                    .withExtension("tenant", "t" + random.nextInt(7));
        }
    }

    @Benchmark
    public List<TriggerSpec> match() {
        Event event = events[next];
        next = (next + 1) & (events.length - 1);
        return router.match(event);
    }
}
