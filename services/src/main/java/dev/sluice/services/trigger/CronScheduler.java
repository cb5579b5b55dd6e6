package dev.sluice.services.trigger;

import dev.sluice.services.internal.cron.CronSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs services on cron schedules: each schedule maps a service to a Unix cron expression (5 fields,
 * {@code "*&#47;5 * * * *"}, evaluated in the clock's time zone), and the scheduler calls
 * {@link Fire#fire(String, Instant)} once per fire time.
 * <pre>
 * CronScheduler scheduler = new CronScheduler(Clock.systemUTC(), (service, at) -&gt;
 *         producer.send(codec.toBinaryRecord(topic, null, ServiceRunEvents.scheduled(service, at))));
 * scheduler.schedule("nightly-report", "0 2 * * *");
 * scheduler.start(executor);
 * </pre>
 * Time is injected: {@link #tick(Instant)} fires every schedule due up to the instant given, so tests drive it with
 * any instants they like; {@link #start} is the real-time driver, which sleeps on a
 * {@link ScheduledExecutorService} until the earliest fire time (at most a minute at a time, so a clock that jumps
 * is noticed) and then ticks with the clock's time.
 * <p>
 * <b>Missed fires</b> (the process was down, or the clock jumped forward) are caught up <b>once</b>: a schedule that
 * has fire times between its last fire and now fires one time, with the latest of them as its scheduled time, and
 * then resumes on its next one. A service that runs every minute does not run 600 times after ten hours down; the
 * event's scheduled time tells it which run this is. A new schedule starts from the clock's time when it is added:
 * it never fires for times before it existed.
 * <p>
 * Thread-safe; {@code fire} is called outside the scheduler's lock, one schedule after another, and an exception it
 * throws is logged and does not stop the other schedules.
 */
public final class CronScheduler implements AutoCloseable {
    /** What runs a due schedule. */
    @FunctionalInterface
    public interface Fire {
        void fire(String service, Instant scheduledTime);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CronScheduler.class);
    /** The longest the real-time driver sleeps, so a clock adjusted while it sleeps is noticed within this. */
    private static final Duration MAX_SLEEP = Duration.ofMinutes(1);

    private final Clock clock;
    private final Fire fire;
    private final Map<String, Entry> schedules = new LinkedHashMap<>();
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> wakeUp;

    /** A schedule and the next time it is due ({@code null}: never again). */
    private record Entry(CronSchedule schedule, Instant next) {
    }

    public CronScheduler(Clock clock, Fire fire) {
        this.clock = clock;
        this.fire = fire;
    }

    /** Checks a cron expression; the message of the exception is cron-utils' explanation. */
    public static void validate(String cron) {
        parse(cron, Clock.systemUTC());
    }

    /** The next {@code count} fire times of an expression after an instant, in a zone (for previews in the UI). */
    public static List<Instant> nextFireTimes(String cron, Instant after, int count, java.time.ZoneId zone) {
        CronSchedule schedule = parse(cron, Clock.system(zone));
        List<Instant> times = new ArrayList<>(count);
        Instant from = after;
        for (int i = 0; i < count; i++) {
            Optional<Instant> next = schedule.nextAfter(from);
            if (next.isEmpty()) {
                break;
            }
            times.add(next.get());
            from = next.get();
        }
        return times;
    }

    /** Adds or replaces the service's schedule; it fires first at its first fire time after now. */
    public void schedule(String service, String cron) {
        CronSchedule schedule = parse(cron, clock);
        synchronized (this) {
            schedules.put(service, new Entry(schedule, schedule.nextAfter(clock.instant()).orElse(null)));
            rescheduleWakeUp();
        }
    }

    /** @return whether the service had a schedule */
    public synchronized boolean unschedule(String service) {
        boolean removed = schedules.remove(service) != null;
        rescheduleWakeUp();
        return removed;
    }

    /** When the service's schedule fires next; empty if it has none or never fires again. */
    public synchronized Optional<Instant> nextFireTime(String service) {
        Entry entry = schedules.get(service);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.next());
    }

    /**
     * Fires every schedule due at or before {@code now}, each at most once (see the class comment on missed fires).
     *
     * @return how many fired
     */
    public int tick(Instant now) {
        List<Map.Entry<String, Instant>> due = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, Entry> schedule : schedules.entrySet()) {
                Entry entry = schedule.getValue();
                if (entry.next() == null || entry.next().isAfter(now)) {
                    continue;
                }
                Instant scheduledTime = entry.schedule().latestDue(entry.next(), now);
                schedule.setValue(new Entry(entry.schedule(), entry.schedule().nextAfter(now).orElse(null)));
                due.add(Map.entry(schedule.getKey(), scheduledTime));
            }
        }
        for (Map.Entry<String, Instant> run : due) {
            try {
                fire.fire(run.getKey(), run.getValue());
            } catch (RuntimeException e) {
                LOG.warn("scheduled run of {} at {} failed to start", run.getKey(), run.getValue(), e);
            }
        }
        return due.size();
    }

    /** Starts firing in real time on the executor (which the caller owns and shuts down). */
    public synchronized void start(ScheduledExecutorService executor) {
        if (this.executor != null) {
            throw new IllegalStateException("already started");
        }
        this.executor = executor;
        rescheduleWakeUp();
    }

    /** Stops the real-time driver; {@link #tick} still works. */
    @Override
    public synchronized void close() {
        if (wakeUp != null) {
            wakeUp.cancel(false);
            wakeUp = null;
        }
        executor = null;
    }

    private void wake() {
        tick(clock.instant());
        synchronized (this) {
            rescheduleWakeUp();
        }
    }

    /** Sleeps until the earliest next fire time, or {@link #MAX_SLEEP}. Called holding the lock. */
    private void rescheduleWakeUp() {
        if (executor == null) {
            return;
        }
        if (wakeUp != null) {
            wakeUp.cancel(false);
        }
        Instant now = clock.instant();
        Duration sleep = MAX_SLEEP;
        for (Entry entry : schedules.values()) {
            if (entry.next() != null) {
                Duration until = Duration.between(now, entry.next());
                if (until.compareTo(sleep) < 0) {
                    sleep = until.isNegative() ? Duration.ZERO : until;
                }
            }
        }
        wakeUp = executor.schedule(this::wake, sleep.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static CronSchedule parse(String cron, Clock clock) {
        try {
            return CronSchedule.parse(cron, clock.getZone());
        } catch (IllegalArgumentException e) {
            throw new TriggerException("cron '" + cron + "': " + e.getMessage());
        }
    }
}
