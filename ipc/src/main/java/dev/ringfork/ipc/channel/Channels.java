package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.core.sync.Doorbell;
import dev.ringfork.core.sync.DoorbellSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waiting on several channels at once, like Python's {@code multiprocessing.connection.wait}:
 * <pre>{@code
 * List<Object> inputs = List.of(fromA, fromB, jobs);          // Connections and queues
 * for (Object ready : Channels.waitAny(inputs, 5, TimeUnit.SECONDS)) {
 *     if (ready == fromA) handle(fromA.recv());               // does not wait
 *     ...
 * }
 * }</pre>
 */
public final class Channels {

    /** While waiting, ready checks run at least this often: how soon a dead sender is noticed. */
    static final long CHECK_NANOS = Connection.PEER_CHECK_NANOS;

    private Channels() {
    }

    /**
     * Returns those of {@code channels} that are ready to read, waiting up to the timeout until at least
     * one is; an empty list if none became ready in time. Sleeps while it waits (on every channel's ring
     * doorbell at once with Linux {@code futex_waitv}; see {@link DoorbellSet}), so a wait costs no CPU.
     *
     * <p>Ready means:
     * <ul>
     *   <li>a {@link Connection} (one that can receive): a message is there, kept for the next
     *       {@code recv} as {@link Connection#poll()} does; or the stream has ended, or the sending process
     *       died (noticed within about {@value Connection#PEER_CHECK_MILLIS} ms), so that {@code recv}
     *       throws {@link EndOfStreamException} or {@link PeerDiedException} at once, as Python reports
     *       a closed connection ready. A connection another thread of this process is receiving on is not
     *       looked at until that receive returns.</li>
     *   <li>a {@link SharedQueue} or {@link JoinableQueue}: an element is waiting, or the queue was
     *       closed. Other takers may take the element first, so a {@code poll} may still return null:
     *       wait again then.</li>
     * </ul>
     *
     * @param channels Connections, SharedQueues and JoinableQueues; at most {@link DoorbellSet#maxDoorbells()}
     * @return the ready ones, in the order given (the same objects)
     * @throws IllegalArgumentException if one is of another kind, a send-only connection, or there are too many
     * @throws IllegalStateException    if a connection was closed or detached here
     */
    public static <C> List<C> waitAny(Collection<? extends C> channels, long timeout, TimeUnit unit)
            throws InterruptedException {
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(unit, "unit");
        long deadline = Deadline.after(timeout, unit);
        List<C> given = List.copyOf(channels);
        List<Doorbell> bells = new ArrayList<>(given.size());
        for (C channel : given) {
            bells.add(ringOf(channel).dataDoorbell());
        }
        ReadyLook<C> look = new ReadyLook<>(given);
        if (look.getAsBoolean() || given.isEmpty()) {
            return look.ready;
        }
        if (bells.size() > DoorbellSet.maxDoorbells()) {
            throw new IllegalArgumentException("waitAny watches at most " + DoorbellSet.maxDoorbells() + " channels, not "
                    + bells.size());
        }
        for (;;) {
            long now = System.nanoTime();
            if (Deadline.passed(deadline, now)) {
                return List.of();
            }
            // Wake at least every CHECK_NANOS: a killed sender rings nothing, its death is found by looking.
            long wakeAt = Deadline.earlier(deadline, Deadline.after(now, CHECK_NANOS, TimeUnit.NANOSECONDS));
            if (DoorbellSet.sleepUntil(bells, look, wakeAt)) {
                return look.ready;
            }
        }
    }

    /** One look at every channel, as a wait condition: true if any is ready; {@link #ready} holds them. */
    private static final class ReadyLook<C> implements BooleanSupplier {
        private final List<C> channels;
        List<C> ready = List.of();

        ReadyLook(List<C> channels) {
            this.channels = channels;
        }

        @Override
        public boolean getAsBoolean() {
            List<C> now = new ArrayList<>();
            for (C channel : channels) {
                if (isReady(channel)) {
                    now.add(channel);
                }
            }
            ready = now;
            return !now.isEmpty();
        }
    }

    private static boolean isReady(Object channel) {
        if (channel instanceof Connection<?> connection) {
            try {
                return connection.poll();
            } catch (PeerDiedException died) {
                return true; // recv reports it
            }
        }
        SharedQueue<?> queue = queueOf(channel);
        Ring ring = queue.ring();
        return ring.hasMessageWaiting() || ring.isClosed();
    }

    private static Ring ringOf(Object channel) {
        Objects.requireNonNull(channel, "a channel to wait on is null");
        if (channel instanceof Connection<?> connection) {
            if (connection.receiveRing() == null) {
                throw new IllegalArgumentException(connection + " only sends: there is nothing to wait for");
            }
            return connection.receiveRing();
        }
        return queueOf(channel).ring();
    }

    private static SharedQueue<?> queueOf(Object channel) {
        if (channel instanceof SharedQueue<?> queue) {
            return queue;
        }
        if (channel instanceof JoinableQueue<?> joinable) {
            return joinable.queue();
        }
        throw new IllegalArgumentException("waitAny waits on Connections, SharedQueues and JoinableQueues, not "
                + channel.getClass().getName());
    }
}
