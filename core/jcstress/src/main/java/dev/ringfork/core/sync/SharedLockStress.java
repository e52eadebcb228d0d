package dev.ringfork.core.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * SharedLock excludes: two threads each lock, read-increment-write a plain counter, and unlock; both
 * increments survive (the unlock's release publishes the first to the second lock's acquire).
 */
@JCStressTest
@Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments")
@Outcome(expect = FORBIDDEN, desc = "an increment lost: the lock let both in, or did not publish")
@State
public class SharedLockStress {

    private final SharedLock lock;
    private int counter;

    public SharedLockStress() {
        MemorySegment memory = Arena.ofAuto().allocate(LockLayout.LENGTH, 128);
        lock = SharedLock.at(memory, 0, "stress");
    }

    @Actor
    public void first() {
        increment();
    }

    @Actor
    public void second() {
        increment();
    }

    private void increment() {
        lock.lock();
        try {
            counter = counter + 1;
        } finally {
            lock.unlock();
        }
    }

    @Arbiter
    public void result(I_Result r) {
        r.r1 = counter;
    }
}
