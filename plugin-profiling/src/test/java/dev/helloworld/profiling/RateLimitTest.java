package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void letsTheFirstThroughAndCountsTheRestUntilTheWindowHasPassed() {
        AtomicLong now = new AtomicLong(5_000);
        RateLimit limit = new RateLimit(Duration.ofMinutes(1), now::get);

        assertEquals(0, limit.tryAcquire(), "the first passes, nothing held back");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertEquals(-1, limit.tryAcquire());
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals(-1, limit.tryAcquire());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(2, limit.tryAcquire(), "a minute later: passes, reporting the two held back");
        assertEquals(-1, limit.tryAcquire());
    }
}
