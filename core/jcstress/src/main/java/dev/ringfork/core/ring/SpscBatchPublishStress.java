package dev.ringfork.core.ring;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import java.lang.foreign.ValueLayout;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A batch claim of four messages is published by one release store: a reader sees none of them or all
 * four, whole and in order (r1 = the sum of their values, 1 + 2 + 3 + 4 = 10; r2 = how many).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "read before the commit")
@Outcome(id = "10, 4", expect = ACCEPTABLE, desc = "all four, whole")
@Outcome(expect = FORBIDDEN, desc = "part of the run, or a torn message")
@State
public class SpscBatchPublishStress {

    private final RingProducer producer;
    private final RingConsumer consumer;

    public SpscBatchPublishStress() {
        Ring ring = StressRings.ring(RingKind.SPSC);
        producer = ring.producer();
        consumer = ring.consumer();
    }

    @Actor
    public void produce() {
        BatchClaim run = producer.tryClaimBatch(StressRings.TYPE, StressRings.LENGTH, 4);
        for (int i = 0; i < run.count(); i++) {
            run.segment().set(ValueLayout.JAVA_LONG, run.offset(i), i + 1);
            run.segment().set(ValueLayout.JAVA_LONG, run.offset(i) + 8, i + 1);
        }
        run.commit();
    }

    @Actor
    public void consume(JJ_Result r) {
        long[] sum = {0};
        long[] expected = {1};
        r.r2 = consumer.read((type, message) -> {
            long value = StressRings.value(type, message);
            sum[0] += value == expected[0]++ ? value : 1000; // out of order or torn shows as a big sum
        }, 8);
        r.r1 = sum[0];
    }
}
