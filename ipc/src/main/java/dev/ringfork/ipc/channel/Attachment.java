package dev.ringfork.ipc.channel;

/**
 * Whether one handle of a queue may still be used. Detaching is per handle, unlike closing, which is
 * for the queue in every process.
 */
final class Attachment {

    private final String queueName;
    private volatile boolean detached;

    Attachment(String queueName) {
        this.queueName = queueName;
    }

    /**
     * Marks the handle detached. Volatile write, before the caller scans the handle's takers: pairs with
     * {@link TakerRegistry#enter}, which registers a taker and then reads {@link #isDetached()}, so one
     * of the two sees the other.
     */
    void detach() {
        detached = true;
    }

    boolean isDetached() {
        return detached;
    }

    /** Throws {@link IllegalStateException} if the handle was detached. */
    void check() {
        if (detached) {
            throw new IllegalStateException("this handle of queue '" + queueName + "' was detached: open the queue again");
        }
    }
}
