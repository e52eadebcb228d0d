package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.cli.RingforkScript.Result;
import dev.ringfork.ipc.cli.RingforkScript.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The script's exit codes for help and bad arguments: 0 and the usage on stdout, 2 and the usage on stderr. */
@EnabledIfSystemProperty(named = RingforkScript.ROOT_PROPERTY, matches = ".+", disabledReason = RingforkScript.ONLY_IN_VERIFY)
class CliUsageIT extends ScriptTestBase {


    /** Starts them all, then awaits each: JVM start-ups overlap. */
    private Map<List<String>, Result> runAll(List<List<String>> commands) {
        Map<List<String>, Run> runs = new LinkedHashMap<>();
        for (List<String> command : commands) {
            runs.put(command, ringfork.start(command.toArray(String[]::new)).closeInput());
        }
        Map<List<String>, Result> results = new LinkedHashMap<>();
        runs.forEach((command, run) -> results.put(command, run.await()));
        return results;
    }

    @Test
    void helpOfEveryCommandExitsZeroWithTheUsage() {
        Map<List<String>, Result> results = runAll(List.of(
                List.of("--help"), List.of("run", "--help"), List.of("queue", "--help"), List.of("pipe", "--help"),
                List.of("queue", "put", "--help"), List.of("queue", "take", "--help"), List.of("queue", "cat", "--help"),
                List.of("pipe", "put", "--help"), List.of("pipe", "take", "--help"), List.of("pipe", "cat", "-h")));
        assertAll(results.entrySet().stream().map(e -> () -> {
            Result result = e.getValue();
            assertEquals(0, result.exitCode(), result.describe());
            String command = String.join(" ", e.getKey().subList(0, e.getKey().size() - 1));
            assertTrue(result.out().startsWith("Usage: ringfork" + (command.isEmpty() ? "" : " " + command)), result.describe());
        }));
        String top = results.get(List.of("--help")).out();
        assertTrue(top.contains("run") && top.contains("queue") && top.contains("pipe"), top);
    }

    @Test
    void badArgumentsExitTwoWithTheUsageOnStderr() {
        Map<List<String>, Result> results = runAll(List.of(
                List.of("queue"), List.of("run", "--workers", "0", "--main", "X"), List.of("frobnicate"),
                List.of("queue", "take", "--frobnicate", "jobs"), List.of(), List.of("queue", "put", "bad/name")));
        assertAll(results.values().stream().map(result -> () -> {
            assertEquals(2, result.exitCode(), result.describe());
            assertTrue(result.stderr().contains("Usage: ringfork"), result.describe());
            assertEquals(0, result.stdout().length, result.describe());
        }));
        assertTrue(results.get(List.of("run", "--workers", "0", "--main", "X")).stderr().contains("--workers must be from 1"));
        assertTrue(results.get(List.of("frobnicate")).stderr().contains("frobnicate"));
    }
}
