package dev.sluice.services.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TriggerRouterTest {
    private static final Event CREATED = Event.of("1", "shop.order.created", "/shop", EventData.none());

    private final TriggerRouter router = new TriggerRouter();

    @Test
    void oneEventFiresEveryMatchingTrigger() {
        router.put(TriggerSpec.of("a", "fraud-check", "latest", FilterSpec.exact("type", "shop.order.created")));
        router.put(TriggerSpec.of("b", "mailer", "3", FilterSpec.suffix("type", ".created")));
        router.put(TriggerSpec.of("c", "audit", "latest", FilterSpec.prefix("source", "/shop")));
        router.put(TriggerSpec.of("d", "billing", "latest", FilterSpec.exact("type", "shop.order.paid")));

        assertThat(router.match(CREATED)).extracting(TriggerSpec::id).containsExactly("a", "b", "c");
    }

    @Test
    void inactiveTriggersAreKeptButNeverMatch() {
        router.put(TriggerSpec.of("a", "fraud-check", "latest", FilterSpec.exact("type", "shop.order.created"))
                .withActive(false));
        router.put(TriggerSpec.of("b", "audit", "latest", FilterSpec.prefix("source", "/")).withActive(false));

        assertThat(router.match(CREATED)).isEmpty();
        assertThat(router.triggers()).extracting(TriggerSpec::id).containsExactly("a", "b");

        router.put(router.get("a").orElseThrow().withActive(true));
        assertThat(router.match(CREATED)).extracting(TriggerSpec::id).containsExactly("a");
    }

    @Test
    void replacingATriggerReLinksTheNextMatch() {
        TriggerSpec trigger = TriggerSpec.of("orders", "fraud-check", "1", FilterSpec.exact("type",
                "shop.order.created"));
        router.put(trigger);
        assertThat(router.match(CREATED)).containsExactly(trigger);

        TriggerSpec relinked = trigger.withVersion("2");
        router.put(relinked);
        assertThat(router.match(CREATED)).containsExactly(relinked);

        // The filter changes too: the trigger moves from the type index to the scanned ones and back.
        router.put(relinked.withFilter(FilterSpec.expr("attributes.type == 'shop.order.paid'")));
        assertThat(router.match(CREATED)).isEmpty();
        router.put(relinked.withFilter(FilterSpec.expr("attributes.source == '/shop'")));
        assertThat(router.match(CREATED)).extracting(TriggerSpec::version).containsExactly("2");

        assertThat(router.remove("orders")).isTrue();
        assertThat(router.remove("orders")).isFalse();
        assertThat(router.match(CREATED)).isEmpty();
    }

    @Test
    void aRefusedTriggerLeavesTheOldOneInForce() {
        TriggerSpec trigger = TriggerSpec.of("orders", "fraud-check", "1", FilterSpec.exact("type",
                "shop.order.created"));
        router.put(trigger);

        assertThatThrownBy(() -> router.put(trigger.withFilter(FilterSpec.expr("nope"))))
                .isInstanceOf(TriggerException.class);
        assertThat(router.match(CREATED)).containsExactly(trigger);
    }

    @Test
    void replaceAllIsAllOrNothing() {
        router.put(TriggerSpec.of("old", "s", "latest", FilterSpec.prefix("type", "shop.")));
        List<TriggerSpec> bad = List.of(
                TriggerSpec.of("new", "s", "latest", FilterSpec.prefix("type", "shop.")),
                TriggerSpec.of("broken", "s", "latest", FilterSpec.expr("1")));

        assertThatThrownBy(() -> router.replaceAll(bad)).hasMessageStartingWith("trigger 'broken': filter.expr:");
        assertThat(router.triggers()).extracting(TriggerSpec::id).containsExactly("old");

        router.replaceAll(List.of(TriggerSpec.of("new", "s", "latest", FilterSpec.prefix("type", "shop."))));
        assertThat(router.match(CREATED)).extracting(TriggerSpec::id).containsExactly("new");
    }

    @Test
    void matchingWhileTriggersChangeSeesWholeSets() throws Exception {
        // Two triggers always change together (replaceAll): a match sees both or neither of each generation.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger torn = new AtomicInteger();
        Thread matcher = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                List<TriggerSpec> matched = router.match(CREATED);
                if (matched.size() == 2 && !matched.get(0).version().equals(matched.get(1).version())) {
                    torn.incrementAndGet();
                }
            }
        });
        for (int generation = 0; generation < 2_000; generation++) {
            String version = Integer.toString(generation);
            router.replaceAll(List.of(
                    TriggerSpec.of("a", "s", version, FilterSpec.exact("type", "shop.order.created")),
                    TriggerSpec.of("b", "s", version, FilterSpec.suffix("type", ".created"))));
        }
        stop.set(true);
        matcher.join();
        assertThat(torn).hasValue(0);
        assertThat(router.match(CREATED)).extracting(TriggerSpec::version).containsOnly("1999");
    }

    @Test
    void triggersReadFromYamlAndJsonWithDefaults() {
        TriggerSpec fromYaml = TriggerSpec.parse("""
                id: orders.large
                service: fraud-check
                filter:
                  all:
                    - exact: {type: shop.order.created}
                    - expr: "data.amount > 1000"
                """);
        assertThat(fromYaml.version()).isEqualTo("latest");
        assertThat(fromYaml.active()).isTrue();

        TriggerSpec fromJson = TriggerSpec.parse("""
                {"id": "orders.large", "service": "fraud-check", "version": "latest", "active": true,
                 "filter": {"all": [{"exact": {"type": "shop.order.created"}}, {"expr": "data.amount > 1000"}]}}
                """);
        assertThat(fromJson).isEqualTo(fromYaml);
        assertThat(TriggerSpec.parse(fromYaml.toYaml())).isEqualTo(fromYaml);
        assertThat(TriggerSpec.parse("{id: t, service: s, active: false, filter: {expr: 'true'}}").active())
                .isFalse();
    }
}
