package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.ServerSentEvents.Event;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    @Test
    void namedEventWithOneDataLineEndsAtTheBlankLine() {
        assertThat(parse("event: record", "data: {\"offset\":3}", "")).containsExactly(
                new Event("record", "{\"offset\":3}"));
    }

    @Test
    void dataLinesAreJoinedWithNewlines() {
        assertThat(parse("event: record", "data: {\"a\":", "data: 1}", "")).containsExactly(
                new Event("record", "{\"a\":\n1}"));
    }

    @Test
    void commentsAreSkippedEvenBetweenFieldsOfOneEvent() {
        assertThat(parse(": keep-alive", "", "event: record", ": ping", "data: x", "")).containsExactly(
                new Event("record", "x"));
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() {
        assertThat(parse("data:no-space", "", "data:  two", "")).containsExactly(
                new Event("message", "no-space"), new Event("message", " two"));
    }

    @Test
    void eventWithoutANameIsAMessage() {
        assertThat(parse("data: x", "")).containsExactly(new Event("message", "x"));
    }

    @Test
    void theNameDoesNotCarryOverToTheNextEvent() {
        assertThat(parse("event: record", "data: 1", "", "data: 2", "")).containsExactly(
                new Event("record", "1"), new Event("message", "2"));
    }

    @Test
    void blankLineWithoutDataDispatchesNothing() {
        assertThat(parse("event: record", "", "", "id: 7", "retry: 1000", "")).isEmpty();
    }

    @Test
    void emptyDataFieldIsAnEventWithEmptyData() {
        assertThat(parse("data", "")).containsExactly(new Event("message", ""));
    }

    @Test
    void eventCutOffByTheEndOfTheStreamIsDropped() {
        assertThat(parse("data: complete", "", "data: cut")).containsExactly(new Event("message", "complete"));
    }

    @Test
    void valueKeepsLaterColons() {
        assertThat(parse("data: {\"url\":\"http://x:1\"}", "")).containsExactly(
                new Event("message", "{\"url\":\"http://x:1\"}"));
    }

    private static List<Event> parse(String... lines) {
        List<Event> events = new ArrayList<>();
        Iterator<Event> iterator = ServerSentEvents.events(List.of(lines).iterator());
        iterator.forEachRemaining(events::add);
        return events;
    }
}
