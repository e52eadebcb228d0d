package dev.ringfork.bench.peer;

import java.util.Arrays;

/**
 * The main class of every child JVM the {@link PeerHarness} starts: {@code peer=... role=... dir=...}
 * and the role's other {@code key=value} arguments. Attaches to the control page, runs the role, prints
 * {@code RESULT key=value ...} lines and exits 0; on any failure prints the stack trace and exits 1.
 * Halts at once if the harness dies, so no child outlives it.
 */
public final class PeerChild {

    private PeerChild() {
    }

    public static void main(String[] argv) {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null || !parent.isAlive()) {
            System.err.println("PeerChild: parent already gone");
            Runtime.getRuntime().halt(3);
        }
        parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3));
        int code = 0;
        try {
            Args args = new Args(argv);
            try (Control control = Control.open(args.dir().resolve("control"))) {
                String role = args.str("role");
                switch (args.str("peer")) {
                    case "ringfork" -> RingforkPeer.run(role, args, control);
                    case "agrona" -> AgronaPeer.run(role, args, control);
                    case "chronicle" -> ChroniclePeer.run(role, args, control);
                    case "inproc" -> InProcessPeer.run(role, args, control);
                    case "single" -> SingleThreadPeer.run(role, args, control);
                    case "raw" -> RawPeer.run(role, args, control);
                    default -> throw new IllegalArgumentException("unknown peer in " + Arrays.toString(argv));
                }
            }
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            code = 1;
        }
        System.out.flush();
        System.err.flush();
        if (Boolean.getBoolean("peers.exit")) {
            System.exit(code); // runs shutdown hooks: a JFR recording is written then
        }
        // halt: some peers leave non-daemon threads and shutdown hooks behind; nothing here needs them.
        Runtime.getRuntime().halt(code);
    }

    static void result(String role, String fields) {
        System.out.println("RESULT role=" + role + " " + fields);
        System.out.flush();
    }

    /** A cross-process consumer's end: its count on the control page, then its RESULT line. */
    static void consumerDone(Control control, int consumer, Meter meter) {
        control.received(consumer, meter.received);
        result("consumer", meter.result());
    }

    /** A pinger's end: its measured trips go into the histogram, their count on the control page, then its RESULT line. */
    static void pingerDone(Control control, Trips trips) {
        control.sent(0, trips.measured());
        result("pinger", trips.result());
    }

    /** A cross-process producer's end: its count on the control page, then its RESULT line. */
    static void producerDone(Control control, int producer, long sent) {
        control.sent(producer, sent);
        result("producer", "sent=" + sent);
    }
}
