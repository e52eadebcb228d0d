package dev.ringfork.core.ring;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * MPMC: one committed message, two consumers taking at the same time (announce, re-check the head, count,
 * store the end, compare-and-set the head). Exactly one of them gets it: never both (a duplicate), never
 * neither (lost).
 */
@JCStressTest
@Outcome(id = "7, 0", expect = ACCEPTABLE, desc = "the first consumer took it")
@Outcome(id = "0, 7", expect = ACCEPTABLE, desc = "the second consumer took it")
@Outcome(expect = FORBIDDEN, desc = "delivered twice, to neither, or torn")
@State
public class MpmcTwoConsumersStress {

    private final RingConsumer a;
    private final RingConsumer b;

    public MpmcTwoConsumersStress() {
        Ring ring = StressRings.ring(RingKind.MPMC);
        StressRings.send(ring.producer(), 7);
        a = ring.consumer();
        b = ring.consumer();
    }

    @Actor
    public void takeA(JJ_Result r) {
        a.read((type, message) -> r.r1 = StressRings.value(type, message), 1);
    }

    @Actor
    public void takeB(JJ_Result r) {
        b.read((type, message) -> r.r2 = StressRings.value(type, message), 1);
    }
}
