package dev.ringfork.ipc.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C and SIGTERM end a command cleanly: a shutdown hook interrupts the command's thread, waits a
 * moment for it to finish (flush its output, close what it must), and runs a fallback if it does not.
 * Closing this removes the hook.
 */
final class StopHook implements AutoCloseable {

    private final Thread commandThread = Thread.currentThread();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean stopping;

    private StopHook(long graceMillis, Runnable ifStillRunning) {
        this.hook = new Thread(() -> {
            stopping = true;
            commandThread.interrupt();
            try {
                if (!done.await(graceMillis, TimeUnit.MILLISECONDS)) {
                    ifStillRunning.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ringfork-stop");
    }

    /** Installs the hook for the calling thread; {@code ifStillRunning} runs if it has not finished in time. */
    static StopHook install(long graceMillis, Runnable ifStillRunning) {
        StopHook stop = new StopHook(graceMillis, ifStillRunning);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** True once the JVM is shutting down: stop at the next record. */
    boolean stopping() {
        return stopping;
    }

    /** The command has finished: the hook has nothing left to wait for. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: it sees done
        }
    }
}
