package dev.ringfork.core.sync;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one deadline helper: any nanoTime value (negative or near the top of a long) and any timeout. */
class DeadlineTest {

    @Test
    void aNegativeClockStillGivesAFiniteDeadline() {
        // Before 2026-11-29 a negative now made every timeout "no deadline": NONE - now overflowed.
        long now = -5_000_000_000L;
        long deadline = Deadline.after(now, 1, TimeUnit.SECONDS);
        assertEquals(now + 1_000_000_000L, deadline);
        assertFalse(Deadline.passed(deadline, now));
        assertTrue(Deadline.passed(deadline, now + 1_000_000_000L));
        assertEquals(1_000_000_000L, Deadline.left(deadline, now, Long.MAX_VALUE));
    }

    @Test
    void aDeadlinePastTheTopOfALongWrapsAndStillCompares() {
        long now = Long.MAX_VALUE - 10;
        long deadline = Deadline.after(now, 100, TimeUnit.NANOSECONDS);
        assertTrue(deadline != Deadline.NONE);
        assertFalse(Deadline.passed(deadline, now + 50));
        assertTrue(Deadline.passed(deadline, now + 100));
        assertEquals(50, Deadline.left(deadline, now + 50, Long.MAX_VALUE));
        assertEquals(deadline, Deadline.earlier(deadline, Deadline.after(now, 1, TimeUnit.SECONDS)));
    }

    @Test
    void hugeAndNegativeTimeouts() {
        assertEquals(Deadline.NONE, Deadline.after(123, Long.MAX_VALUE, TimeUnit.NANOSECONDS));
        assertEquals(Deadline.NONE, Deadline.after(-123, 200 * 365L, TimeUnit.DAYS));
        assertEquals(77, Deadline.after(77, -5, TimeUnit.SECONDS), "a negative timeout is now");
        assertFalse(Deadline.passed(Deadline.NONE, Long.MAX_VALUE));
    }
}
