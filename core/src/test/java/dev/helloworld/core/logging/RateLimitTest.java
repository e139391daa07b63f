package dev.helloworld.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private final AtomicLong now = new AtomicLong(5_000);
    private final RateLimit limit = new RateLimit(Duration.ofMinutes(1), now::get);

    @Test
    void letsTheFirstThroughAndCountsTheRestUntilTheWindowHasPassed() {
        assertEquals(0, limit.tryAcquire("traces"), "the first passes, nothing held back");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertEquals(-1, limit.tryAcquire("traces"));
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals(-1, limit.tryAcquire("traces"));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(2, limit.tryAcquire("traces"), "a minute later: passes, reporting the two held back");
        assertEquals(-1, limit.tryAcquire("traces"));
    }

    @Test
    void eachKindHasAWindowOfItsOwn() {
        assertEquals(0, limit.tryAcquire("traces"));
        assertEquals(0, limit.tryAcquire("logs"), "another kind is not held back by the first");
        assertEquals(-1, limit.tryAcquire("traces"));
        assertEquals(-1, limit.tryAcquire("logs"));
    }

    @Test
    void resetLetsTheNextEventOfEachKindThroughAtOnce() {
        assertEquals(0, limit.tryAcquire("traces"));
        assertEquals(-1, limit.tryAcquire("traces"));
        limit.reset();
        assertEquals(0, limit.tryAcquire("traces"), "a reset forgets what was held back too");
    }
}
