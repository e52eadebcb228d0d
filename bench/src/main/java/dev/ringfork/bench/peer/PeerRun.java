package dev.ringfork.bench.peer;

/**
 * What one run of the {@link PeerHarness} measured: every round's figures, and the markdown report
 * (tables, targets, failures) it printed.
 *
 * @param results  the figures by key, every round, and the failures
 * @param rounds   how many rounds ran
 * @param quick    whether it was a {@code --quick} run
 * @param markdown the report's text
 */
public record PeerRun(Results results, int rounds, boolean quick, String markdown) {
}
