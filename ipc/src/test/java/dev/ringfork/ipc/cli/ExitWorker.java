package dev.ringfork.ipc.cli;

/** A worker for {@code ringfork run} in {@link CliRunIT}: worker 1 exits with 3, the others with 0. */
public final class ExitWorker {

    private ExitWorker() {
    }

    public static void main(String[] args) {
        System.out.println("region " + System.getenv("RINGFORK_REGION"));
        if (Integer.getInteger("ringfork.worker.index") == 1) {
            System.exit(3);
        }
    }
}
