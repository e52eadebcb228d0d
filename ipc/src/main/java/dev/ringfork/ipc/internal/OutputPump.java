package dev.ringfork.ipc.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Copies a child's output on a daemon thread, either line by line with a prefix into a {@link PrintStream}
 * or as it comes into a buffer. The child writes UTF-8 (its launch sets {@code stdout.encoding} and
 * {@code stderr.encoding}); each returned future completes at the end of the stream.
 */
public final class OutputPump {

    /**
     * How the line starts that HotSpot prints on stdout when {@code -XX:+ExitOnOutOfMemoryError} ends a
     * JVM, just before it exits with code 3: {@code Terminating due to java.lang.OutOfMemoryError: Java heap space}.
     */
    public static final String OUT_OF_MEMORY_EXIT = "Terminating due to java.lang.OutOfMemoryError";

    private OutputPump() {
    }

    /** Whether {@code output} (a child's, unprefixed) holds HotSpot's {@link #OUT_OF_MEMORY_EXIT} line. */
    public static boolean showsOutOfMemoryExit(CharSequence output) {
        String text = output.toString();
        return text.startsWith(OUT_OF_MEMORY_EXIT) || text.contains("\n" + OUT_OF_MEMORY_EXIT);
    }

    /** The prefix of every copied line: {@code [name pid] }. */
    public static String prefix(String name, long pid) {
        return "[" + name + " " + pid + "] ";
    }

    /** Copies each line of {@code in} to {@code target} as {@code prefix + line}, showing it to {@code observer} first. */
    public static CompletableFuture<Void> prefixed(InputStream in, PrintStream target, String prefix, String threadName,
                                                   Consumer<String> observer) {
        return pump(threadName, () -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    observer.accept(line);
                    target.println(prefix + line); // one call per line: lines of two pumps never interleave
                }
            }
        });
    }

    /** Appends everything {@code in} delivers to {@code sink}, unchanged. */
    public static CompletableFuture<Void> capture(InputStream in, StringBuffer sink, String threadName) {
        return pump(threadName, () -> {
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] chunk = new char[8192];
                for (int n; (n = reader.read(chunk)) >= 0; ) {
                    sink.append(chunk, 0, n);
                }
            }
        });
    }

    private interface Copy {
        void run() throws IOException;
    }

    private static CompletableFuture<Void> pump(String threadName, Copy copy) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            try {
                copy.run();
            } catch (IOException e) {
                // The stream broke (the pipe was closed under us): nothing more will come.
            } finally {
                done.complete(null);
            }
        });
        return done;
    }
}
