package dev.ringfork.bench.peer;

/** A measurement that failed (a child exited with an error, missed a deadline or printed no result); the harness goes on. */
final class MeasurementFailure extends Exception {
    private static final long serialVersionUID = 1L;

    MeasurementFailure(String message) {
        super(message);
    }
}
