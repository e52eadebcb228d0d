package dev.ringfork.ipc.internal.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of a JVM that runs a Hazelcast member (a host agent): Hazelcast's recommended access to JDK
 * internals, for its module ({@code com.hazelcast.core} on the module path, the unnamed module on the class path),
 * and leave to use {@code sun.misc.Unsafe} quietly (its shaded JCTools). Only member JVMs get them; a JVM that
 * only connects to a cluster needs none but the last.
 */
public final class MemberJvmOptions {

    private MemberJvmOptions() {
    }

    /** The options, with the opens granted to {@code target}: {@code ALL-UNNAMED} or {@code com.hazelcast.core}. */
    public static List<String> forTarget(String target) {
        List<String> options = new ArrayList<>();
        options.add("--add-modules=java.se");
        options.add("--add-exports=java.base/jdk.internal.ref=" + target);
        options.add("--add-opens=java.base/java.lang=" + target);
        options.add("--add-opens=java.base/sun.nio.ch=" + target);
        options.add("--add-opens=java.management/sun.management=" + target);
        options.add("--add-opens=jdk.management/com.sun.management.internal=" + target);
        options.add("--sun-misc-unsafe-memory-access=allow");
        return options;
    }

    /** {@link #forTarget} for a JVM that runs Hazelcast from the class path. */
    public static List<String> classPath() {
        return forTarget("ALL-UNNAMED");
    }
}
