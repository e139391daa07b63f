package dev.helloworld.otlp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBufferTest {

    private static RetryBuffer.Batch<String> batch(String name, int items, long bytes) {
        return new RetryBuffer.Batch<>(java.util.Collections.nCopies(items, name), bytes);
    }

    @Test
    void pastItsBoundDiscardsWholeBatchesOldestFirst() {
        RetryBuffer<String> buffer = new RetryBuffer<>(100);
        RetryBuffer.Batch<String> a = batch("a", 3, 40);
        RetryBuffer.Batch<String> b = batch("b", 2, 40);
        RetryBuffer.Batch<String> c = batch("c", 4, 40);

        assertEquals(List.of(), buffer.add(a));
        assertEquals(List.of(), buffer.add(b));
        assertEquals(List.of(a), buffer.add(c), "120 bytes do not fit 100: the oldest goes, whole");
        assertEquals(6, buffer.items());
        assertEquals(80, buffer.bytes());
        assertSame(b, buffer.takeOldest(), "sent oldest first");
    }

    @Test
    void neverDiscardsTheBatchBeingSentSoThatNothingIsCountedTwice() {
        RetryBuffer<String> buffer = new RetryBuffer<>(100);
        RetryBuffer.Batch<String> a = batch("a", 1, 60);
        RetryBuffer.Batch<String> b = batch("b", 1, 30);
        RetryBuffer.Batch<String> c = batch("c", 1, 30);
        buffer.add(a);
        buffer.add(b);
        assertSame(a, buffer.takeOldest());

        assertEquals(List.of(b), buffer.add(c), "the next oldest goes instead of the one in flight");
        buffer.sent(a, true);
        assertSame(c, buffer.takeOldest());
        buffer.sent(c, false);
        assertSame(c, buffer.takeOldest(), "a batch whose send failed stays, first in line");
        buffer.sent(c, true);
        assertNull(buffer.takeOldest());
        assertEquals(0, buffer.bytes());
    }

    @Test
    void aBatchLargerThanTheBoundIsDiscardedAtOnce() {
        RetryBuffer<String> buffer = new RetryBuffer<>(100);
        RetryBuffer.Batch<String> huge = batch("huge", 10, 101);

        assertEquals(List.of(huge), buffer.add(huge));
        assertEquals(0, buffer.items());
    }
}
