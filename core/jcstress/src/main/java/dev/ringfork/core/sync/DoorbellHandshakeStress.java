package dev.ringfork.core.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The doorbell's handshake, without the sleep: a publisher stores news (a release store, as a ring commit
 * does) and rings; a sleeper counts itself and looks for the news. The publisher runs no fence, so
 * neither may see the other (r1 = 0, r2 = 0): the store-buffer window the Doorbell class comment
 * describes. Such a sleeper sleeps only its first, short slice before it looks again, and the news is
 * visible by then ({@code DoorbellWakeProcessTest} bounds that wait across processes). This test shows
 * how often the window is hit; until 2026-11-29 the publisher ran a full fence and "0, 0" was forbidden
 * here (and the earlier membarrier scheme lost about one handshake in a million).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both saw each other")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the publisher saw the sleeper: it wakes it")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the sleeper saw the news: it does not sleep")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "neither: the sleeper's first short slice ends its wait")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class DoorbellHandshakeStress {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment memory = Arena.ofAuto().allocate(SemaphoreLayout.LENGTH + 128, 128);
    private final Doorbell bell = Doorbell.at(memory, 0);
    private final long news = SemaphoreLayout.LENGTH;

    @Actor
    public void publisher(II_Result r) {
        INT.setRelease(memory, news, 1);
        r.r1 = bell.ringAndReport() ? 1 : 0;
    }

    @Actor
    public void sleeper(II_Result r) {
        bell.announceSleeper(); // stays counted, as a sleeper does until it wakes
        r.r2 = (int) INT.getAcquire(memory, news);
    }

    @Arbiter
    public void wake() {
        bell.withdrawSleeper();
    }
}
