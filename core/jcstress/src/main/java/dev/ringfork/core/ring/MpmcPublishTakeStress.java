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
 * MPMC: a producer commits a message while a consumer takes; afterwards a second consumer looks. The
 * message is taken exactly once, whole: by the racing consumer, or (if it looked too early) by the late
 * one (r1 = what the racing consumer got, 0 = nothing; r2 = what the late one got).
 */
@JCStressTest
@Outcome(id = "5, 0", expect = ACCEPTABLE, desc = "the racing consumer took it")
@Outcome(id = "0, 5", expect = ACCEPTABLE, desc = "it looked before the commit; the late one took it")
@Outcome(expect = FORBIDDEN, desc = "a duplicate, a loss or a torn message")
@State
public class MpmcPublishTakeStress {

    private final Ring ring;
    private final RingProducer producer;
    private final RingConsumer consumer;

    public MpmcPublishTakeStress() {
        ring = StressRings.ring(RingKind.MPMC);
        producer = ring.producer();
        consumer = ring.consumer();
    }

    @Actor
    public void produce() {
        StressRings.send(producer, 5);
    }

    @Actor
    public void take(JJ_Result r) {
        consumer.read((type, message) -> r.r1 = StressRings.value(type, message), 1);
    }

    @Arbiter
    public void late(JJ_Result r) {
        try (RingConsumer late = ring.consumer()) {
            late.read((type, message) -> r.r2 = StressRings.value(type, message), 1);
        }
    }
}
