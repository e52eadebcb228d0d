package dev.ringfork.core.ring;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * SPSC publish: the producer claims, fills and commits (a release store of the header); the consumer reads
 * once (an acquire load of the header). It sees nothing, or the whole message: never a header without
 * its bytes, never half of it. r2 counts the messages the read reported.
 */
@JCStressTest
@Outcome(id = "-1, 0", expect = ACCEPTABLE, desc = "read before the commit: nothing")
@Outcome(id = "42, 1", expect = ACCEPTABLE, desc = "read after the commit: the whole message")
@Outcome(expect = FORBIDDEN, desc = "anything else: a torn or early message, or a wrong count")
@State
public class SpscPublishStress {

    private final RingProducer producer;
    private final RingConsumer consumer;

    public SpscPublishStress() {
        Ring ring = StressRings.ring(RingKind.SPSC);
        producer = ring.producer();
        consumer = ring.consumer();
    }

    @Actor
    public void produce() {
        StressRings.send(producer, 42);
    }

    @Actor
    public void consume(JJ_Result r) {
        r.r1 = -1;
        r.r2 = consumer.read((type, message) -> r.r1 = StressRings.value(type, message), 1);
    }
}
