package dev.sluice.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightLimiterTest {
    private final InFlightLimiter limiter = new InFlightLimiter(100, 150);

    @Test
    void aSourceOverItsShareIsTold429NotTheOthers() {
        assertThat(limiter.tryAcquire("a", 80)).isEqualTo(InFlightLimiter.Outcome.ACQUIRED);
        assertThat(limiter.tryAcquire("a", 30)).isEqualTo(InFlightLimiter.Outcome.SOURCE_FULL);
        assertThat(limiter.tryAcquire("b", 60)).isEqualTo(InFlightLimiter.Outcome.ACQUIRED);
        assertThat(limiter.inFlight()).isEqualTo(140);
    }

    @Test
    void theTotalBoundsAllSourcesTogether() {
        limiter.tryAcquire("a", 90);
        limiter.tryAcquire("b", 50);
        assertThat(limiter.tryAcquire("c", 20)).isEqualTo(InFlightLimiter.Outcome.TOTAL_FULL);
        limiter.release("a", 90);
        assertThat(limiter.tryAcquire("c", 20)).isEqualTo(InFlightLimiter.Outcome.ACQUIRED);
    }

    @Test
    void aLoneRequestLargerThanTheLimitIsStillAdmittedWhenNothingIsInFlight() {
        assertThat(limiter.tryAcquire("a", 500)).isEqualTo(InFlightLimiter.Outcome.ACQUIRED);
        assertThat(limiter.tryAcquire("a", 1)).isEqualTo(InFlightLimiter.Outcome.SOURCE_FULL);
        limiter.release("a", 500);
        assertThat(limiter.inFlight()).isZero();
    }
}
