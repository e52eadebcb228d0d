package dev.ringfork.core.ring;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * MPSC: message 1 is committed; a producer commits message 2 while the consumer reads once. The reader
 * sees 1, then 2 whole or nothing of it (r1, r2 = the values read; 0 = none).
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "read before 2 was committed")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "read after")
@Outcome(expect = FORBIDDEN, desc = "out of order, torn, or 2 before it was committed")
@State
public class MpscPublishReadStress {

    private final RingProducer producer;
    private final RingConsumer consumer;

    public MpscPublishReadStress() {
        Ring ring = StressRings.ring(RingKind.MPSC);
        producer = ring.producer();
        consumer = ring.consumer();
        StressRings.send(ring.producer(), 1);
    }

    @Actor
    public void produce() {
        StressRings.send(producer, 2);
    }

    @Actor
    public void consume(JJ_Result r) {
        long[] got = new long[2];
        int[] n = {0};
        consumer.read((type, message) -> got[n[0]++] = StressRings.value(type, message), 2);
        r.r1 = got[0];
        r.r2 = got[1];
    }
}
