package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.cluster.ClusterStatus;

import java.util.ArrayList;
import java.util.List;

/** {@code ringfork stat --cluster}: the host agents (with their pools' chunks) and the queues of a cluster, as text. */
final class StatCluster {

    private StatCluster() {
    }

    static String text(ClusterStatus status) {
        StringBuilder out = new StringBuilder();
        out.append("cluster ").append(status.clusterName()).append("  ").append(status.hosts().size()).append(" host agent")
                .append(status.hosts().size() == 1 ? "" : "s").append("  data ")
                .append(status.safe() ? "safe (nothing migrating, every backup in sync)"
                        : "NOT SAFE yet (partitions migrating or backups being made): do not stop a host now")
                .append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"member", "host", "pid", "workers", "pools", "in-flight", "chunks-done", "tasks-done"});
        for (ClusterStatus.Host host : status.hosts()) {
            rows.add(new String[] {host.agent().address(), host.agent().hostName(), Long.toString(host.agent().pid()),
                    Integer.toString(host.agent().workers()), Integer.toString(host.pools()),
                    Long.toString(host.chunksInFlight()), Long.toString(host.chunksDone()), Long.toString(host.tasksDone())});
        }
        table(out, rows);
        out.append('\n').append(status.queues().size()).append(" queue").append(status.queues().size() == 1 ? "" : "s")
                .append('\n');
        if (!status.queues().isEmpty()) {
            List<String[]> queues = new ArrayList<>();
            queues.add(new String[] {"queue", "size", "closed"});
            for (ClusterStatus.Queue queue : status.queues()) {
                queues.add(new String[] {queue.name(), Integer.toString(queue.size()), queue.closed() ? "yes" : "no"});
            }
            table(out, queues);
        }
        return out.toString();
    }

    /** Left-aligned columns, two spaces apart, indented by two. */
    private static void table(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]).append(" ".repeat(i == row.length - 1 ? 0 : widths[i] - row[i].length() + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
