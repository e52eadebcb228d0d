package dev.ringfork.bench.peer;

import java.util.List;

/**
 * The flags of the child JVMs: {@link #COMMON} for every child, then what each peer needs on JDK 25.
 * Ringfork's children get nothing beyond {@code --enable-native-access}.
 */
final class JvmFlags {

    static final List<String> COMMON = List.of("--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m");
    static final List<String> RINGFORK = List.of();
    static final List<String> AGRONA = List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    static final List<String> CHRONICLE = List.of(
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true");
    static final List<String> HEAP = List.of();

    private JvmFlags() {
    }
}
