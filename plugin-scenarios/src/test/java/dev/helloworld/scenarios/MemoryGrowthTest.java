package dev.helloworld.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Parsed;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryGrowthTest {

    @Test
    void growsToItsShareOfTheMaxHeapNoFurtherAndLetsItAllGoAtTheEnd() throws Exception {
        MemoryGrowth growth = new MemoryGrowth(((Parsed.Value<ScenarioRequest>) ScenarioRequest
                .parse("memory-growth:heap=0.05,over=300ms")).value().parameters());
        long bound = growth.bound();
        assertEquals(0.05 * Runtime.getRuntime().maxMemory(), bound, 1, "a twentieth of the max heap");
        try {
            growth.started();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (growth.retained() + MemoryGrowth.CHUNK <= bound) {
                assertTrue(System.nanoTime() < deadline, "grown to " + bound + " within 10 s: " + growth.retained());
                Thread.onSpinWait();
            }
            long full = growth.retained();
            // Steps keep coming every few milliseconds: a second later it holds no more.
            long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < settle) {
                assertTrue(growth.retained() <= bound, "never past the bound: " + growth.retained() + " > " + bound);
                Thread.onSpinWait();
            }
            assertEquals(full, growth.retained(), "it holds what it grew to");
        } finally {
            growth.ended();
        }
        assertEquals(0, growth.retained(), "released at the end");
    }

    @Test
    void refusesMoreThanHalfTheHeap() {
        assertEquals(Parsed.invalid("memory-growth heap to be a number from 0 to 0.5 ('0.6' is not)"),
                ScenarioRequest.parse("memory-growth:heap=0.6"));
    }
}
