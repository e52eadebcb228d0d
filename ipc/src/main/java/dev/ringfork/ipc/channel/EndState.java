package dev.ringfork.ipc.channel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Whether a {@link Connection} end is open, closed or detached, shared by its send and receive sides. */
final class EndState {

    static final int OPEN = 0;
    static final int CLOSED = 1;
    static final int DETACHED = 2;

    private final String description;
    /** OPEN, then CLOSED or DETACHED for good: set before close or detach waits for the users to stop. */
    private final AtomicInteger state = new AtomicInteger(OPEN);
    /** A waiting receive's extra wake-up condition: the end is being closed or detached. */
    final BooleanSupplier stopping = () -> state.get() != OPEN;

    EndState(String description) {
        this.description = description;
    }

    int get() {
        return state.get();
    }

    /** Moves from OPEN to {@code to}; false if the end had left OPEN already. */
    boolean leave(int to) {
        return state.compareAndSet(OPEN, to);
    }

    /** Throws if the end was closed or detached. */
    void checkUsable() {
        int now = state.get();
        if (now == CLOSED) {
            throw new IllegalStateException(description + " is closed");
        }
        if (now == DETACHED) {
            throw new IllegalStateException(description + " was detached: take the end again (Pipe.open) to use it");
        }
    }
}
