package dev.ringfork.bench;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link FutexPingPongBenchmark}: waits for {@code ping} to change, copies the new value
 * to {@code pong} and wakes the parent, until the parent writes {@link PingPong#STOP}. Halts at once
 * if its parent dies, so a killed benchmark leaves no spinning orphan.
 *
 * <p>Arguments: the region directory, and how many spin iterations come before each futex sleep.
 */
public final class FutexPartner {

    private FutexPartner() {
    }

    /** Starts a partner on the region {@link BenchRegion#NAME} in {@code directory}; output goes to {@code log}. */
    static Process start(Path directory, int spins, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java,
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"),
                FutexPartner.class.getName(), directory.toString(), Integer.toString(spins));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: FutexPartner <region directory> <spins>");
            System.exit(2);
        }
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null || !parent.isAlive()) {
            System.err.println("FutexPartner: parent already gone");
            Runtime.getRuntime().halt(3);
            return;
        }
        parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3));
        Runnable parentCheck = () -> {
            if (!parent.isAlive()) {
                Runtime.getRuntime().halt(3);
            }
        };
        int spins = Integer.parseInt(args[1]);
        try (SharedRegion region = SharedRegion.open(BenchRegion.NAME,
                RegionOptions.defaults().withDirectory(Path.of(args[0])))) {
            PingPong words = new PingPong(region);
            int seen = words.ping.get();
            words.publishAndWake(words.ready, 1);
            for (;;) {
                int value = words.awaitChange(words.ping, words.pingSleeping, seen, spins, parentCheck);
                if (value == PingPong.STOP) {
                    break;
                }
                seen = value;
                words.publish(words.pong, words.pongSleeping, value);
            }
        }
        System.exit(0);
    }
}
