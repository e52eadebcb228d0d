package dev.ringfork.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts child JVMs ({@link PeerChild} on this JVM's class path, with {@link JvmFlags#COMMON} and the
 * party's own flags, output to {@code NAME.log} in the measurement's directory), or a party's native
 * program, and keeps track of the live ones, so that the harness's shutdown hook can kill them: no child outlives the harness. (Each
 * child also halts by itself when the harness dies.)
 */
final class ChildLauncher {

    private final List<Process> live = new CopyOnWriteArrayList<>();

    Process start(Party party, Path dir) {
        List<String> command = new ArrayList<>();
        if (party.program() != null) {
            command.add(party.program().toString());
            command.add("dir=" + dir);
        } else {
            command.add(ProcessHandle.current().info().command()
                    .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(JvmFlags.COMMON);
            command.addAll(party.flags());
            String jfr = System.getProperty("peers.jfr");
            if (jfr != null) {
                // -Dpeers.jfr=DIR: a JFR recording (profile settings) of every child, for finding hot spots.
                command.add("-Dpeers.exit=true");
                command.add("-XX:StartFlightRecording=settings=profile,filename="
                        + Path.of(jfr, dir.getFileName() + "-" + party.name() + ".jfr").toAbsolutePath());
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerChild.class.getName(), "dir=" + dir));
        }
        command.addAll(party.args());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(party.name() + ".log").toFile()).start();
            live.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Stops tracking a child that has been killed and reaped. */
    void forget(Process process) {
        live.remove(process);
    }

    /** Kills every child still tracked (the harness is exiting). */
    void killAll() {
        for (Process p : live) {
            p.destroyForcibly();
        }
    }
}
