package dev.sluice.services.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronSchedulerTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:30Z");

    private record Fired(String service, Instant scheduledTime) {
    }

    private final List<Fired> fired = new CopyOnWriteArrayList<>();
    private final CronScheduler scheduler = new CronScheduler(Clock.fixed(T0, ZoneOffset.UTC),
            (service, at) -> fired.add(new Fired(service, at)));

    static Stream<Arguments> nextFireTimes() {
        return Stream.of(
                Arguments.of("*/5 * * * *", List.of("10:05", "10:10", "10:15")),
                Arguments.of("0 * * * *", List.of("11:00", "12:00", "13:00")),
                Arguments.of("30 9 * * *", List.of("2026-11-23T09:30", "2026-11-24T09:30", "2026-11-25T09:30")),
                Arguments.of("0 0 1 * *", List.of("2026-12-01T00:00", "2027-01-01T00:00", "2027-02-01T00:00")),
                // 22 Nov 2026 is a Sunday; Monday to Friday at 8:00
                Arguments.of("0 8 * * 1-5", List.of("2026-11-23T08:00", "2026-11-24T08:00", "2026-11-25T08:00")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nextFireTimes")
    void nextFireTimes(String cron, List<String> expected) {
        List<Instant> expectedInstants = expected.stream()
                .map(time -> Instant.parse((time.length() == 5 ? "2026-11-22T" + time : time) + ":00Z"))
                .toList();
        assertThat(CronScheduler.nextFireTimes(cron, T0, 3, ZoneOffset.UTC)).isEqualTo(expectedInstants);
    }

    @Test
    void fireTimesFollowTheZone() {
        assertThat(CronScheduler.nextFireTimes("0 9 * * *", T0, 1, ZoneId.of("Europe/Zurich")))
                .containsExactly(Instant.parse("2026-11-23T08:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * *", "61 * * * *", "* 25 * * *", "0 0 * * * *", "every minute", "*/0 * * * *"})
    void badExpressionsAreRefused(String cron) {
        assertThatThrownBy(() -> CronScheduler.validate(cron))
                .isInstanceOf(TriggerException.class)
                .hasMessageStartingWith("cron '" + cron + "': ")
                .satisfies(e -> assertThat(e.getMessage().length()).isGreaterThan(("cron '" + cron + "': ").length()));
        assertThatThrownBy(() -> scheduler.schedule("s", cron)).isInstanceOf(TriggerException.class);
    }

    @Test
    void firesOncePerDueTime() {
        scheduler.schedule("report", "*/5 * * * *");
        scheduler.schedule("hourly", "0 * * * *");
        assertThat(scheduler.nextFireTime("report")).contains(at("10:05"));

        assertThat(scheduler.tick(at("10:04:59"))).isZero();
        assertThat(scheduler.tick(at("10:05"))).isEqualTo(1);
        assertThat(scheduler.tick(at("10:05"))).isZero();
        assertThat(scheduler.tick(at("10:09:59"))).isZero();
        assertThat(scheduler.tick(at("10:10:00.001"))).isEqualTo(1);
        assertThat(scheduler.tick(at("10:11"))).isZero();

        assertThat(fired).containsExactly(new Fired("report", at("10:05")), new Fired("report", at("10:10")));
        assertThat(scheduler.nextFireTime("report")).contains(at("10:15"));
    }

    @Test
    void missedFiresAfterAGapFireOnceWithTheLatestTime() {
        scheduler.schedule("report", "*/5 * * * *");
        scheduler.schedule("hourly", "0 * * * *");

        // Down from 10:00:30 to 13:02: 36 fires of report and 3 of hourly were missed.
        assertThat(scheduler.tick(at("13:02"))).isEqualTo(2);

        assertThat(fired).containsExactlyInAnyOrder(new Fired("report", at("13:00")), new Fired("hourly", at("13:00")));
        assertThat(scheduler.nextFireTime("report")).contains(at("13:05"));
        assertThat(scheduler.nextFireTime("hourly")).contains(at("14:00"));
    }

    @Test
    void aLongGapCostsLittle() {
        scheduler.schedule("every-minute", "* * * * *");
        long start = System.nanoTime();
        scheduler.tick(Instant.parse("2027-11-22T10:00:30Z")); // a year: 525,600 missed fires
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(fired).containsExactly(new Fired("every-minute", Instant.parse("2027-11-22T10:00:00Z")));
    }

    @Test
    void replacingAndRemovingSchedules() {
        scheduler.schedule("report", "*/5 * * * *");
        scheduler.schedule("report", "0 * * * *");
        assertThat(scheduler.nextFireTime("report")).contains(at("11:00"));
        assertThat(scheduler.tick(at("10:05"))).isZero();

        assertThat(scheduler.unschedule("report")).isTrue();
        assertThat(scheduler.unschedule("report")).isFalse();
        assertThat(scheduler.tick(at("12:00"))).isZero();
    }

    @Test
    void aFailingServiceDoesNotStopTheOthers() {
        CronScheduler failing = new CronScheduler(Clock.fixed(T0, ZoneOffset.UTC), (service, at) -> {
            fired.add(new Fired(service, at));
            throw new IllegalStateException("boom");
        });
        failing.schedule("a", "*/5 * * * *");
        failing.schedule("b", "*/5 * * * *");

        assertThat(failing.tick(at("10:05"))).isEqualTo(2);
        assertThat(fired).extracting(Fired::service).containsExactly("a", "b");
    }

    @Test
    void realTimeDriverFiresOnTime() {
        // A clock 300 ms before a minute boundary, moving in real time.
        Instant boundary = Instant.parse("2030-01-01T00:00:00Z");
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), boundary.minusMillis(300)));
        CronScheduler realTime = new CronScheduler(clock, (service, at) -> fired.add(new Fired(service, at)));
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            realTime.schedule("every-minute", "* * * * *");
            realTime.start(executor);
            await().atMost(Duration.ofSeconds(10)).until(() -> !fired.isEmpty());
            assertThat(fired).containsExactly(new Fired("every-minute", boundary));
            assertThat(realTime.nextFireTime("every-minute")).contains(boundary.plusSeconds(60));
        } finally {
            realTime.close();
            executor.shutdownNow();
        }
    }

    @Test
    void scheduledAndManualRunsAreEvents() {
        Event scheduled = ServiceRunEvents.scheduled("report", at("10:05"));
        assertThat(scheduled.type()).isEqualTo("dev.sluice.service.scheduled");
        assertThat(scheduled.source()).isEqualTo("/sluice/scheduler");
        assertThat(scheduled.subject()).isEqualTo("report");
        assertThat(scheduled.data()).isEqualTo(new EventData.Json(JsonNodeFactory.instance.objectNode()
                .put("scheduledTime", "2026-11-22T10:05:00Z")));
        assertThat(ServiceRunEvents.scheduled("report", at("10:05")).id()).isEqualTo(scheduled.id());

        Event manual = ServiceRunEvents.manual("report", JsonNodeFactory.instance.objectNode().put("month", 11), T0);
        assertThat(manual.type()).isEqualTo("dev.sluice.service.manual");
        assertThat(manual.subject()).isEqualTo("report");
        assertThat(manual.data()).isEqualTo(new EventData.Json(JsonNodeFactory.instance.objectNode()
                .put("month", 11)));

        // A trigger for a scheduled service, and both events through Kafka records.
        TriggerRouter router = new TriggerRouter();
        router.put(TriggerSpec.of("report.cron", "report", "latest", FilterSpec.exact(Map.of(
                "type", ServiceRunEvents.SCHEDULED_TYPE, "subject", "report"))));
        assertThat(router.match(scheduled)).extracting(TriggerSpec::id).containsExactly("report.cron");
        assertThat(router.match(manual)).isEmpty();
        CloudEventCodec codec = new CloudEventCodec();
        var record = codec.toBinaryRecord("runs", null, scheduled);
        assertThat(codec.read(record.headers(), record.value())).isEqualTo(scheduled);
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-22T" + (time.length() == 5 ? time + ":00" : time) + "Z");
    }
}
