package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.cli.RingforkScript.Result;
import dev.ringfork.ipc.cluster.ClusterMembers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ringfork queue ... --cluster} and {@code ringfork stat --cluster} through the real script, on two agents. */
@EnabledIfSystemProperty(named = RingforkScript.ROOT_PROPERTY, matches = ".+", disabledReason = RingforkScript.ONLY_IN_VERIFY)
class CliClusterIT extends ScriptTestBase {

    private static ClusterMembers members;

    @BeforeAll
    static void startAgents() throws Exception {
        members = ClusterMembers.start(2, 1);
    }

    @AfterAll
    static void stopAgents() throws InterruptedException {
        members.close();
    }

    private static String[] on(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--cluster";
        all[args.length + 1] = members.clusterName();
        all[args.length + 2] = "--members";
        all[args.length + 3] = members.address();
        return all;
    }

    @Test
    void whatPutSendsTakeGivesInOrderThenTheStreamEnds() {
        byte[] input = IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8);
        Result put = ringfork.start(on("queue", "put", "jobs")).input(input).await();
        assertEquals(0, put.exitCode(), put.describe());
        assertEquals("", put.stderr(), put.describe());
        Result taken = ringfork.run(on("queue", "take", "jobs"));
        assertEquals(0, taken.exitCode(), taken.describe());
        assertEquals("", taken.stderr(), taken.describe());
        assertArrayEquals(input, taken.stdout(), taken.describe());
        Result again = ringfork.start(on("queue", "put", "jobs")).input("late\n".getBytes(StandardCharsets.UTF_8)).await();
        assertEquals(1, again.exitCode(), again.describe());
        assertTrue(again.stderr().contains("is closed"), again.describe());
    }

    @Test
    void statListsTheAgentsAndTheQueues() {
        Result put = ringfork.start(on("queue", "put", "--keep-open", "listed")).input("a\nb\nc\n".getBytes(StandardCharsets.UTF_8))
                .await();
        assertEquals(0, put.exitCode(), put.describe());
        Result stat = ringfork.run(on("stat"));
        assertEquals(0, stat.exitCode(), stat.describe());
        assertEquals("", stat.stderr(), stat.describe());
        String out = stat.out();
        assertTrue(out.startsWith("cluster " + members.clusterName() + "  2 host agents  data safe ("), out);
        for (ClusterMembers.Agent agent : members.agents()) {
            assertTrue(out.contains("127.0.0.1:" + agent.port()) && out.contains(" " + agent.pid() + " "), out);
        }
        assertTrue(out.lines().anyMatch(line -> line.strip().matches("listed\\s+3\\s+no")), out);
    }

    @Test
    void aWrongClusterNameOrUnreachableMembersFailInOneLine() {
        Result wrongName = ringfork.run("queue", "take", "jobs", "--cluster", members.clusterName() + "-other",
                "--members", members.address());
        assertEquals(1, wrongName.exitCode(), wrongName.describe());
        assertEquals(1, wrongName.stderr().lines().count(), wrongName.describe());
        assertTrue(wrongName.stderr().startsWith("ringfork queue take: members answered at " + members.address()),
                wrongName.describe());
        Result unreachable = ringfork.run("stat", "--cluster", members.clusterName(), "--members", "127.0.0.1:1");
        assertEquals(1, unreachable.exitCode(), unreachable.describe());
        assertEquals(1, unreachable.stderr().lines().count(), unreachable.describe());
        assertTrue(unreachable.stderr().contains("no member of cluster '" + members.clusterName() + "' is reachable"),
                unreachable.describe());
        Result usage = ringfork.run("queue", "put", "jobs", "--cluster", members.clusterName());
        assertEquals(2, usage.exitCode(), usage.describe());
    }
}
