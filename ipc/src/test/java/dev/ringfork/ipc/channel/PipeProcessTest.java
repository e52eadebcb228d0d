package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Pipes between the test JVM and a child JVM. */
class PipeProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int ROUND_TRIPS = 10_000;

    @TempDir
    Path temp;

    record Reading(int sensor, long seq, double value, String unit) {
    }

    static long reply(long request) {
        return request * 31 + 7;
    }

    @Test
    void duplexPingPongWithAChildJvm() throws Exception {
        try (SharedRegion region = SharedRegion.create("p", RegionOptions.defaults().withDirectory(temp));
             ChildJvm child = ChildJvm.start(Echo.class, temp.toString())) {
            Connection<Long> parent = Pipe.open(region, "ping", Codec.int64()).first();
            for (long i = 0; i < ROUND_TRIPS; i++) {
                parent.send(i);
                Long answer = parent.recv(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(reply(i), answer, "reply to " + i);
            }
            parent.sendBytes(new byte[] {1, 2, 3, 4});
            assertArrayEquals(new byte[] {4, 3, 2, 1}, parent.recvBytes(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            parent.close();
            child.awaitLine("ECHO_DONE " + ROUND_TRIPS, DEADLINE);
            child.awaitSuccess(DEADLINE);
        }
    }

    @Test
    void simplexFromAChildJvmDeliversInOrderThenEnds() throws Exception {
        int count = 5_000;
        try (SharedRegion region = SharedRegion.create("p", RegionOptions.defaults().withDirectory(temp))) {
            Connection<Reading> reader = Pipe.simplex(region, "readings", Codec.record(Reading.class)).reader();
            try (ChildJvm child = ChildJvm.start(Writer.class, temp.toString(), Integer.toString(count))) {
                for (int i = 0; i < count; i++) {
                    assertEquals(new Reading(i % 7, i, i * 0.5, i % 2 == 0 ? "°C" : null),
                            reader.recv(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                }
                assertThrows(EndOfStreamException.class, () -> reader.recv(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                child.awaitSuccess(DEADLINE);
            }
        }
    }

    /** Child: the second end; answers each number, reverses raw bytes, and stops at the end of the stream. */
    public static final class Echo {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            try (SharedRegion region = SharedRegion.openOrCreate("p", ChildSupport.options(args[0]))) {
                Connection<Long> child = Pipe.open(region, "ping", Codec.int64()).second();
                int answered = 0;
                try {
                    for (;;) {
                        if (!child.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                            throw new IllegalStateException("nothing came for " + DEADLINE);
                        }
                        if (answered == ROUND_TRIPS) {
                            byte[] bytes = child.recvBytes();
                            byte[] reversed = new byte[bytes.length];
                            for (int i = 0; i < bytes.length; i++) {
                                reversed[i] = bytes[bytes.length - 1 - i];
                            }
                            child.sendBytes(reversed);
                            answered++;
                            continue;
                        }
                        child.send(reply(child.recv()));
                        answered++;
                    }
                } catch (EndOfStreamException end) {
                    System.out.println("ECHO_DONE " + (answered - 1));
                }
                child.close();
            }
        }
    }

    /** Child: the writer end of a simplex pipe of records; closes it when done. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            int count = Integer.parseInt(args[1]);
            try (SharedRegion region = SharedRegion.open("p", ChildSupport.options(args[0]))) {
                try (Connection<Reading> writer = Pipe.simplex(region, "readings", Codec.record(Reading.class)).writer()) {
                    for (int i = 0; i < count; i++) {
                        writer.send(new Reading(i % 7, i, i * 0.5, i % 2 == 0 ? "°C" : null));
                    }
                }
            }
        }
    }
}
