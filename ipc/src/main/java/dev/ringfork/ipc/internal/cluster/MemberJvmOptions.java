package dev.ringfork.ipc.internal.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM options of a JVM that runs a Hazelcast member (a host agent), as Hazelcast recommends them. They are kept
 * in one file, {@code member-jvm.options} beside this class, which {@code scripts/ringfork} reads too. Only member JVMs
 * get them; a JVM that only connects to a cluster needs none but the last.
 */
public final class MemberJvmOptions {

    private static final String FILE = "member-jvm.options";

    private MemberJvmOptions() {
    }

    /** The options, with the access granted to {@code target}: {@code ALL-UNNAMED} or {@code com.hazelcast.core}. */
    public static List<String> forTarget(String target) {
        try (InputStream in = MemberJvmOptions.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing beside " + MemberJvmOptions.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.replace("@TARGET@", target)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    /** {@link #forTarget} for a JVM that runs Hazelcast from the class path. */
    public static List<String> classPath() {
        return forTarget("ALL-UNNAMED");
    }
}
