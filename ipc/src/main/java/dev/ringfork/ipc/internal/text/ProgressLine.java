package dev.ringfork.ipc.internal.text;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one progress bar ({@code ringfork bench}, {@code scripts/demo}): on a terminal one line redrawn in
 * place ({@code [######..............] 12/40 spsc/32/agrona}), otherwise one line per step shown
 * ({@code [12/40] spsc/32/agrona}). Other messages are printed above the progress line. It also reads the
 * {@code PROGRESS <done>/<total> <label>} lines a benchmark child prints.
 */
public final class ProgressLine {

    /** One progress step: {@code done} of {@code total}, and a label. */
    public record Step(int done, int total, String label) {
    }

    private static final Pattern PROGRESS = Pattern.compile("PROGRESS (\\d{1,9})/(\\d{1,9})(?: (.*))?");
    private static final int WIDTH = 20;

    private final PrintWriter err;
    private final boolean terminal;
    private String shown = "";

    /** A progress line on {@code err}, redrawn in place if {@code terminal}. */
    public ProgressLine(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** The step in a {@code PROGRESS} line, or empty if {@code line} is not one. */
    public static Optional<Step> parse(String line) {
        Matcher m = PROGRESS.matcher(line.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int done = Integer.parseInt(m.group(1));
        int total = Integer.parseInt(m.group(2));
        return Optional.of(new Step(done, Math.max(done, total), m.group(3) == null ? "" : m.group(3)));
    }

    /** {@code [######..............] 12/40 label}. */
    public static String render(Step step) {
        int filled = step.total() == 0 ? WIDTH : (int) ((long) step.done() * WIDTH / step.total());
        return String.format(Locale.ROOT, "[%s%s] %d/%d %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                step.done(), step.total(), step.label()).stripTrailing();
    }

    /** Shows {@code step}: redraws the line on a terminal, prints a line otherwise. */
    public synchronized void show(Step step) {
        if (terminal) {
            String line = render(step);
            err.print("\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())));
            shown = line;
        } else {
            err.println(String.format(Locale.ROOT, "[%d/%d] %s", step.done(), step.total(), step.label()).stripTrailing());
        }
        err.flush();
    }

    /** Prints {@code line} on its own line, above the progress line (which is drawn again). */
    public synchronized void message(String line) {
        if (terminal && !shown.isEmpty()) {
            err.print("\r" + " ".repeat(shown.length()) + "\r");
            err.println(line);
            err.print(shown);
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the progress line, so what follows starts on a line of its own. */
    public synchronized void finish() {
        if (terminal && !shown.isEmpty()) {
            err.println();
            shown = "";
        }
        err.flush();
    }
}
