package dev.sluice.services.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final Event ORDER = Event.of("e-1", "shop.order.created", "/shop/eu/orders",
                    new EventData.Json(json("{\"amount\": 1500, \"currency\": \"EUR\", \"lines\": [{\"sku\": \"A\"}],"
                            + " \"vip\": true}")))
            .withSubject("order-42")
            .withTime(Instant.parse("2026-11-22T08:00:00Z"))
            .withDataContentType("application/json")
            .withExtension("tenant", "acme");

    static final Event BINARY = Event.of("e-2", "camera.frame", "/cams/7",
                    new EventData.Bytes("not json".getBytes(StandardCharsets.UTF_8)))
            .withDataContentType("image/jpeg");

    static final Event NO_DATA = Event.of("e-3", "shop.order.created", "/shop/us/orders", EventData.none());

    static Stream<Arguments> filters() {
        return Stream.of(
                // exact
                Arguments.of("exact: {type: shop.order.created}", ORDER, true),
                Arguments.of("exact: {type: shop.order.paid}", ORDER, false),
                Arguments.of("exact: {type: shop.order.created, subject: order-42}", ORDER, true),
                Arguments.of("exact: {type: shop.order.created, subject: order-43}", ORDER, false),
                Arguments.of("exact: {tenant: acme}", ORDER, true),
                Arguments.of("exact: {tenant: acme}", NO_DATA, false),
                Arguments.of("exact: {subject: order-42}", NO_DATA, false),
                Arguments.of("exact: {time: '2026-11-22T08:00:00Z'}", ORDER, true),
                Arguments.of("exact: {specversion: '1.0'}", ORDER, true),
                // prefix, suffix
                Arguments.of("prefix: {source: /shop/}", ORDER, true),
                Arguments.of("prefix: {source: /cams/}", ORDER, false),
                Arguments.of("prefix: {subject: order}", NO_DATA, false),
                Arguments.of("suffix: {type: .created}", ORDER, true),
                Arguments.of("suffix: {type: .paid}", ORDER, false),
                // all, any, not
                Arguments.of("all: [{prefix: {type: shop.}}, {suffix: {type: .created}}]", ORDER, true),
                Arguments.of("all: [{prefix: {type: shop.}}, {suffix: {type: .paid}}]", ORDER, false),
                Arguments.of("any: [{exact: {type: x}}, {suffix: {type: .created}}]", ORDER, true),
                Arguments.of("any: [{exact: {type: x}}, {exact: {type: y}}]", ORDER, false),
                Arguments.of("not: {exact: {type: shop.order.created}}", ORDER, false),
                Arguments.of("not: {exact: {type: shop.order.paid}}", ORDER, true),
                Arguments.of("all: [{all: [{exact: {type: shop.order.created}}]}, {not: {prefix: {source: /shop/us}}}]",
                        ORDER, true),
                Arguments.of("all: [{all: [{exact: {type: shop.order.created}}]}, {not: {prefix: {source: /shop/us}}}]",
                        NO_DATA, false),
                // CEL on attributes
                Arguments.of("expr: \"attributes.type == 'shop.order.created'\"", ORDER, true),
                Arguments.of("expr: \"attributes.source.startsWith('/shop/') && attributes.tenant == 'acme'\"",
                        ORDER, true),
                Arguments.of("expr: \"'tenant' in attributes\"", NO_DATA, false),
                Arguments.of("expr: \"attributes.tenant == 'acme'\"", NO_DATA, false), // no such key: no match
                Arguments.of("expr: \"attributes.time.startsWith('2026-11')\"", ORDER, true),
                // CEL on data
                Arguments.of("expr: \"data.amount > 1000\"", ORDER, true),
                Arguments.of("expr: \"data.amount > 2000\"", ORDER, false),
                Arguments.of("expr: \"data.currency in ['EUR', 'CHF'] && data.vip\"", ORDER, true),
                Arguments.of("expr: \"data.lines.exists(l, l.sku == 'A')\"", ORDER, true),
                Arguments.of("expr: \"has(data.coupon)\"", ORDER, false),
                Arguments.of("expr: \"data.vip\"", ORDER, true), // dyn result, true at run time
                Arguments.of("expr: \"data.amount > 1000\"", BINARY, false), // bytes have no fields
                Arguments.of("expr: \"data == b'not json'\"", BINARY, true),
                Arguments.of("expr: \"size(data) == 8\"", BINARY, true),
                Arguments.of("expr: \"data == null\"", NO_DATA, true),
                Arguments.of("expr: \"data.amount > 1000\"", NO_DATA, false),
                // CEL only after the cheap conjunct
                Arguments.of("all: [{expr: \"data.amount > 1000\"}, {exact: {type: camera.frame}}]", BINARY, false));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("filters")
    void matchesOrNot(String filterYaml, Event event, boolean expected) {
        TriggerRouter router = new TriggerRouter();
        router.put(TriggerSpec.parse("id: t\nservice: s\nfilter:\n  " + filterYaml));
        assertThat(router.match(event)).hasSize(expected ? 1 : 0);
    }

    static Stream<Arguments> badFilters() {
        return Stream.of(
                Arguments.of("{}", "trigger 't': filter: a filter has exactly one of exact, prefix, suffix, all, any,"
                        + " not, expr; found none"),
                Arguments.of("{exact: {type: a}, expr: 'true'}", "trigger 't': filter: a filter has exactly one of"
                        + " exact, prefix, suffix, all, any, not, expr; found exact and expr"),
                Arguments.of("{all: [{exact: {type: a}}, {expr: 'foo == 1'}]}",
                        "trigger 't': filter.all[1].expr: undeclared reference to 'foo'"),
                Arguments.of("{any: [{not: {expr: 'data.x +'}}]}", "trigger 't': filter.any[0].not.expr: "),
                Arguments.of("{expr: '1 + 2'}", "trigger 't': filter.expr: "),
                Arguments.of("{expr: ' '}", "trigger 't': filter.expr: empty expression"),
                Arguments.of("{all: []}", "trigger 't': filter.all: lists no filter"),
                Arguments.of("{exact: {}}", "trigger 't': filter.exact: names no attribute"),
                Arguments.of("{prefix: {Type: a}}", "trigger 't': filter.prefix: 'Type' is not a CloudEvents"),
                Arguments.of("{not: {}}", "trigger 't': filter.not: a filter has exactly one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFilters")
    void badFiltersAreRefusedWithTheirPath(String filterYaml, String messageStart) {
        TriggerSpec trigger = TriggerSpec.parse("id: t\nservice: s\nfilter: " + filterYaml);
        assertThatThrownBy(() -> new TriggerRouter().put(trigger))
                .isInstanceOf(TriggerException.class)
                .hasMessageStartingWith(messageStart);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTriggers")
    void badTriggersAreRefused(String yaml, String messageStart) {
        assertThatThrownBy(() -> TriggerRouter.validate(TriggerSpec.parse(yaml)))
                .isInstanceOf(TriggerException.class)
                .hasMessageStartingWith(messageStart);
    }

    static Stream<Arguments> badTriggers() {
        return Stream.of(
                Arguments.of("{id: Bad, service: s, filter: {expr: 'true'}}", "id: 'Bad' is not a trigger id"),
                Arguments.of("{id: t, filter: {expr: 'true'}}", "trigger 't': service: 'null' is not a service name"),
                Arguments.of("{id: t, service: s, version: 'v 1', filter: {expr: 'true'}}",
                        "trigger 't': version: 'v 1' is neither"),
                Arguments.of("{id: t, service: s}", "trigger 't': filter: a filter is required"),
                Arguments.of("{id: t, service: s, filter: {expr: 'true'}, colour: red}", "trigger does not parse:"));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
