package dev.sluice.services.internal.trigger;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.List;

/**
 * A compiled filter. Matchers are immutable and shared by every thread matching events; the per-event state (the
 * CEL variables, built at most once per event) lives in the {@link MatchContext}.
 */
public sealed interface Matcher {
    boolean matches(MatchContext context);

    /**
     * A rough relative cost of {@link #matches}, so {@code all} can try the cheap conjuncts first and skip CEL when a
     * string comparison already says no.
     */
    int cost();

    /** {@code exact}: the attribute is present and equal. */
    record AttributeEquals(String attribute, String value) implements Matcher {
        @Override
        public boolean matches(MatchContext context) {
            return value.equals(context.event().attribute(attribute));
        }

        @Override
        public int cost() {
            return 1;
        }
    }

    /** {@code prefix}: the attribute is present and starts with the value. */
    record AttributePrefix(String attribute, String value) implements Matcher {
        @Override
        public boolean matches(MatchContext context) {
            String actual = context.event().attribute(attribute);
            return actual != null && actual.startsWith(value);
        }

        @Override
        public int cost() {
            return 1;
        }
    }

    /** {@code suffix}: the attribute is present and ends with the value. */
    record AttributeSuffix(String attribute, String value) implements Matcher {
        @Override
        public boolean matches(MatchContext context) {
            String actual = context.event().attribute(attribute);
            return actual != null && actual.endsWith(value);
        }

        @Override
        public int cost() {
            return 1;
        }
    }

    /** {@code all}, its matchers ordered cheapest first (see {@link FilterCompiler}). */
    record AllOf(List<Matcher> matchers) implements Matcher {
        @Override
        public boolean matches(MatchContext context) {
            for (Matcher matcher : matchers) {
                if (!matcher.matches(context)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int cost() {
            return matchers.stream().mapToInt(Matcher::cost).sum();
        }
    }

    /** {@code any}, its matchers ordered cheapest first. */
    record AnyOf(List<Matcher> matchers) implements Matcher {
        @Override
        public boolean matches(MatchContext context) {
            for (Matcher matcher : matchers) {
                if (matcher.matches(context)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int cost() {
            return matchers.stream().mapToInt(Matcher::cost).sum();
        }
    }

    record Not(Matcher matcher) implements Matcher {
        @Override
        public boolean matches(MatchContext context) {
            return !matcher.matches(context);
        }

        @Override
        public int cost() {
            return matcher.cost();
        }
    }

    /**
     * {@code expr}: a type-checked CEL program. An expression that fails on an event (a key the map lacks, a
     * comparison of mismatched types) does not match it: the event is not what the trigger is looking for, and one
     * odd event must not stop routing.
     */
    record Expression(String expression, CelRuntime.Program program) implements Matcher {
        @Override
        public boolean matches(MatchContext context) {
            try {
                return Boolean.TRUE.equals(program.eval(context.celVariables()));
            } catch (CelEvaluationException e) {
                return false;
            }
        }

        @Override
        public int cost() {
            return 100;
        }
    }
}
