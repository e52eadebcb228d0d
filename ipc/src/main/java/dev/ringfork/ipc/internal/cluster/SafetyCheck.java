package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

import dev.ringfork.core.sync.Deadline;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks a member whether the cluster's data is safe (Hazelcast's "cluster safe" state): no partition is migrating and
 * every backup is in sync with its owner. Only then does the death of one member lose nothing acknowledged; in the
 * seconds after a member joins or leaves, partitions move and their backups are being made. Sent by clients through
 * the {@link PoolTask#CONTROL} executor; {@link HostAgent} asks its own member the same at start.
 */
public final class SafetyCheck implements Callable<Boolean>, Serializable, HazelcastInstanceAware {

    /** Between two questions while the data is not yet safe. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private transient HazelcastInstance member;

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public Boolean call() {
        return safe(member);
    }

    /** True if {@code member}'s cluster is safe now (asks every member). */
    static boolean safe(HazelcastInstance member) {
        return member.getPartitionService().isClusterSafe();
    }

    /**
     * Asks a member, from the client {@code client}, whether the cluster is safe; false if it is not, or if no member
     * answered within {@code timeout} (one died, or none is there).
     */
    public static boolean ask(HazelcastInstance client, Duration timeout) throws InterruptedException {
        Future<Boolean> answer;
        try {
            answer = client.getExecutorService(PoolTask.CONTROL).submit(new SafetyCheck());
        } catch (RuntimeException noMember) {
            return false;
        }
        try {
            return answer.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException notNow) {
            answer.cancel(false);
            return false;
        }
    }

    /** Waits, asking from the client {@code client}, until the cluster is safe or {@code timeout} has passed. */
    public static boolean awaitFromClient(HazelcastInstance client, Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
        for (;;) {
            long left = Deadline.left(deadline, System.nanoTime(), Long.MAX_VALUE);
            if (ask(client, Duration.ofNanos(left))) {
                return true;
            }
            if (!pause(deadline)) {
                return false;
            }
        }
    }

    /** Waits, on {@code member} itself, until its cluster is safe or {@code timeout} has passed. */
    static boolean awaitOnMember(HazelcastInstance member, Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
        while (!safe(member)) {
            if (!pause(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Parks {@link #PAUSE_NANOS} (less if the deadline is nearer); false if the deadline has passed. */
    private static boolean pause(long deadline) throws InterruptedException {
        long pause = Deadline.left(deadline, System.nanoTime(), PAUSE_NANOS);
        if (pause == 0) {
            return false;
        }
        LockSupport.parkNanos(pause);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return true;
    }
}
