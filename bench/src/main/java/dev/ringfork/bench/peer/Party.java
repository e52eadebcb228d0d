package dev.ringfork.bench.peer;

import java.nio.file.Path;
import java.util.List;

/**
 * One child process of a measurement: its name (also its log's name and its key in the results), and
 * either the JVM flags its peer needs beyond {@link JvmFlags#COMMON} (a {@link PeerChild} JVM) or a
 * native program to run instead ({@code program}, e.g. the C ring), then the {@code key=value} arguments.
 */
record Party(String name, List<String> flags, Path program, List<String> args) {

    static Party of(String name, List<String> flags, String... args) {
        return new Party(name, flags, null, List.of(args));
    }

    static Party of(String name, List<String> flags, List<String> args) {
        return new Party(name, flags, null, args);
    }

    static Party program(String name, Path program, String... args) {
        return new Party(name, List.of(), program, List.of(args));
    }
}
