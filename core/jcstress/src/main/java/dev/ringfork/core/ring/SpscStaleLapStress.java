package dev.ringfork.core.ring;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * SPSC over space given back unzeroed: a lap of messages of value 7 is sent and read first, which leaves
 * their committed headers in the buffer. Then the producer sends 42, which fits before the end of the
 * buffer, and 43, which wraps to offset 0 onto the first stale header; the consumer reads once. It sees
 * a prefix of 42, 43: never a stale 7 (the producer zeroes the header word past each claim, and the
 * first word of the buffer when a claim wraps, before it moves the tail), never more than two messages.
 * r1 counts the messages, r2 is their values in order (42, 43 reads as 4243).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "read before the first commit")
@Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "read between the commits")
@Outcome(id = "2, 4243", expect = ACCEPTABLE, desc = "read after both commits")
@Outcome(expect = FORBIDDEN, desc = "a stale record of the last lap, a torn message, or too many")
@State
public class SpscStaleLapStress {

    /** 24-byte records: after 41 of them the tail is 40 bytes before the end of a 1 KiB buffer. */
    static final int LAP = 41;

    private final RingProducer producer;
    private final RingConsumer consumer;

    public SpscStaleLapStress() {
        Ring ring = StressRings.ring(RingKind.SPSC);
        producer = ring.producer();
        consumer = ring.consumer();
        for (int i = 0; i < LAP; i++) {
            StressRings.send(producer, 7);
            if (consumer.read((type, message) -> { }, 1) != 1) {
                throw new IllegalStateException("the lap's message " + i + " was not read back");
            }
        }
    }

    @Actor
    public void produce() {
        StressRings.send(producer, 42);
        StressRings.send(producer, 43);
    }

    @Actor
    public void consume(JJ_Result r) {
        r.r1 = consumer.read((type, message) -> r.r2 = r.r2 * 100 + StressRings.value(type, message), 3);
    }
}
