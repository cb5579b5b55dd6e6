package dev.sluice.services.internal.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A parsed Unix cron expression (5 fields: minute, hour, day of month, month, day of week; the classic crontab
 * format users know, at minute resolution) and the fire times it gives in a time zone. Immutable.
 */
public final class CronSchedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ExecutionTime executionTime;
    private final ZoneId zone;

    private CronSchedule(String expression, ExecutionTime executionTime, ZoneId zone) {
        this.expression = expression;
        this.executionTime = executionTime;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException with cron-utils' explanation */
    public static CronSchedule parse(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty cron expression");
        }
        Cron cron = UNIX.parse(expression.trim()).validate();
        return new CronSchedule(expression.trim(), ExecutionTime.forCron(cron), zone);
    }

    public String expression() {
        return expression;
    }

    /** The first fire time strictly after {@code after}, if the expression fires again at all. */
    public Optional<Instant> nextAfter(Instant after) {
        return executionTime.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /**
     * The latest fire time in {@code [from, upTo]}, where {@code from} is itself a fire time not after {@code upTo}:
     * the one fire owed after a gap. Starts from cron-utils' last execution before {@code upTo} so that a long gap
     * costs a step or two, not one per missed fire.
     */
    public Instant latestDue(Instant from, Instant upTo) {
        Instant latest = from;
        Optional<Instant> before = executionTime.lastExecution(upTo.atZone(zone)).map(ZonedDateTime::toInstant);
        if (before.isPresent() && before.get().isAfter(latest) && !before.get().isAfter(upTo)) {
            latest = before.get();
        }
        for (Optional<Instant> next = nextAfter(latest); next.isPresent() && !next.get().isAfter(upTo);
                next = nextAfter(latest)) {
            latest = next.get();
        }
        return latest;
    }
}
