package dev.ringfork.ipc.channel;

/**
 * Thrown by {@link JoinableQueue#join}: a process that had taken items from the queue died (killed,
 * crashed, or exited) before marking them done with {@link JoinableQueue#taskDone()}. Those items will
 * never be marked done, so they were written off: they no longer count as unfinished, and
 * {@link JoinableQueue#lostTasks()} counts them. A later {@code join} waits for the rest.
 */
public final class ConsumerDiedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int itemsHeld;
    private final long itemsLost;

    ConsumerDiedException(String queueName, long pid, int itemsHeld, long itemsLost, long consumers) {
        super("queue '" + queueName + "': consumer process pid " + pid + " died holding " + itemsHeld
                + " item(s) it had taken and not marked done" + (consumers > 1 ? " (" + consumers
                + " dead consumers, " + itemsLost + " items in all)" : "")
                + "; they were written off (JoinableQueue.lostTasks()), join again to wait for the rest");
        this.pid = pid;
        this.itemsHeld = itemsHeld;
        this.itemsLost = itemsLost;
    }

    /** The pid of the dead consumer (the last one found, if several died). */
    public long pid() {
        return pid;
    }

    /** How many items that process held, taken and not marked done. */
    public int itemsHeld() {
        return itemsHeld;
    }

    /** Items written off while the join ran, over every dead consumer it found. */
    public long itemsLost() {
        return itemsLost;
    }
}
