package dev.ringfork.bench.peer;

import java.util.List;

/**
 * One child JVM of a measurement: its name (also its log's name and its key in the results), the JVM
 * flags its peer needs beyond {@link JvmFlags#COMMON}, and the {@code key=value} arguments for
 * {@link PeerChild}.
 */
record Party(String name, List<String> flags, List<String> args) {

    static Party of(String name, List<String> flags, String... args) {
        return new Party(name, flags, List.of(args));
    }
}
