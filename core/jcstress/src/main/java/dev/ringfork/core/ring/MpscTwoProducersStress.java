package dev.ringfork.core.ring;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * MPSC: two threads announce, claim (one compare-and-set on the tail each) and commit one message each
 * through one shared producer. Afterwards the ring holds both, whole, each once, in claim order: the
 * claims never overlap, and a header stored plainly after the tail compare-and-set never lands in the
 * other's space (r1, r2 = the values read in order).
 */
@JCStressTest
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "1 claimed first")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "2 claimed first")
@Outcome(expect = FORBIDDEN, desc = "a message lost, duplicated or torn")
@State
public class MpscTwoProducersStress {

    private final RingProducer producer;
    private final RingConsumer consumer;

    public MpscTwoProducersStress() {
        Ring ring = StressRings.ring(RingKind.MPSC);
        producer = ring.producer();
        consumer = ring.consumer();
    }

    @Actor
    public void first() {
        StressRings.send(producer, 1);
    }

    @Actor
    public void second() {
        StressRings.send(producer, 2);
    }

    @Arbiter
    public void read(JJ_Result r) {
        long[] got = new long[3];
        int[] n = {0};
        consumer.read((type, message) -> got[n[0]++] = StressRings.value(type, message), 3);
        r.r1 = got[0];
        r.r2 = n[0] == 2 ? got[1] : -n[0];
    }
}
