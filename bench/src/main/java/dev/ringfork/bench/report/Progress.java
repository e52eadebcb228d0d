package dev.ringfork.bench.report;

import java.io.PrintStream;

/**
 * Counts figures as they complete and prints one line per figure, {@code PROGRESS <done>/<total> <label>},
 * which {@code ringfork bench} turns into its progress bar. Every other line of output goes to its log.
 */
final class Progress {

    private final PrintStream out;
    private final int total;
    private int done;

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    /** One more figure is done: measured, or failed. */
    synchronized void step(String label) {
        done++;
        out.println("PROGRESS " + done + "/" + Math.max(total, done) + " " + label);
        out.flush();
    }
}
