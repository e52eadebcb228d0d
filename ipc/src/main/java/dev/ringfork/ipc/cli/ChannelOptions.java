package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.ringfork.ipc.cluster.ClusterOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every {@code queue} and {@code pipe} subcommand takes: the region's name and directory, the ring
 * capacity when it creates the channel, and the framing of records.
 */
final class ChannelOptions {

    /** Ring bytes unless {@code --capacity} says otherwise: records up to 128 KiB less 8 bytes. */
    static final int DEFAULT_CAPACITY = 1 << 20;
    /** A new region's size at least; a larger ring gets this much on top (zero-filled, so not more). */
    static final long MIN_REGION_BYTES = 2L << 20;
    private static final Pattern REGION_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "NAME",
            description = "the region that holds it, created if absent (with --cluster: the queue's name): letters, digits,"
                    + " '.', '_', '-'")
    String name;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "the region directory (default: $RINGFORK_DIR, else /dev/shm/ringfork-$USER)")
    Path dir;

    @Option(names = "--capacity", paramLabel = "SIZE", converter = Converters.Capacity.class,
            description = "ring bytes, if this command creates it: a power of two from 1k to 1g (default 1m);"
                    + " the largest record is an eighth of it less 8 bytes")
    Integer capacity;

    @Option(names = "--cluster", paramLabel = "CLUSTER",
            description = "queue only: a queue across hosts, on the cluster of host agents of this name (with --members)")
    String cluster;

    @Option(names = "--members", split = ",", paramLabel = "HOST:PORT",
            description = "with --cluster: members to connect through, comma-separated (one that answers is enough)")
    List<String> members;

    @Option(names = {"-0", "--null"}, description = "records end with a NUL byte instead of a newline")
    boolean nul;

    @Option(names = "--raw", description = "records are a 4-byte big-endian length and that many bytes")
    boolean raw;

    /** True if the options name a cluster ({@code --cluster}); checks that they name its members too. */
    boolean clustered() {
        if (cluster == null && members != null) {
            throw new ParameterException(command.commandLine(), "--members goes with --cluster NAME: name the cluster too");
        }
        if (cluster != null && (members == null || members.isEmpty())) {
            throw new ParameterException(command.commandLine(), "--cluster needs --members HOST:PORT,...: where to reach it");
        }
        if (cluster != null && (capacity != null || dir != null)) {
            throw new ParameterException(command.commandLine(), (capacity != null ? "--capacity" : "--dir") + " is for a"
                    + " queue on this host; a cluster queue holds up to 100000 records");
        }
        return cluster != null;
    }

    /** The cluster's name and members, checked. */
    ClusterOptions clusterOptions() {
        try {
            return ClusterOptions.of(cluster, members);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /** The region name, checked. */
    String name() {
        return requireRegionName(command, name);
    }

    Framing framing() {
        if (nul && raw) {
            throw new ParameterException(command.commandLine(), "--null and --raw exclude each other: choose one framing");
        }
        return raw ? Framing.RAW : nul ? Framing.NUL : Framing.LINES;
    }

    int capacity() {
        return capacity != null ? capacity : DEFAULT_CAPACITY;
    }

    /** Where and how large the region is made, with room for the ring. */
    RegionOptions regionOptions() {
        return regionOptions(dir).withSize(Math.max(2 * MIN_REGION_BYTES, capacity() + MIN_REGION_BYTES));
    }

    /** The default region options, in {@code dir} if given. */
    static RegionOptions regionOptions(Path dir) {
        RegionOptions options = RegionOptions.defaults();
        return dir != null ? options.withDirectory(dir.toAbsolutePath()) : options;
    }

    /** {@code name} if it is a valid region name; else a usage error of {@code command}. */
    static String requireRegionName(CommandSpec command, String name) {
        if (!REGION_NAME.matcher(name).matches()) {
            throw new ParameterException(command.commandLine(), "'" + name + "' is no region name: use 1 to 128 letters,"
                    + " digits, '.', '_' or '-', not starting with '.'");
        }
        return name;
    }

    /** What to do about a record of {@code length} bytes that does not fit {@code channel}. */
    static String tooLarge(Channel channel, long length) {
        if (channel.file() == null) {
            return channel.description() + " takes records of up to " + channel.maxRecordBytes() + " bytes: split it";
        }
        long needed = Long.highestOneBit(Math.max(1024, 8 * (length + 8)) - 1) << 1;
        String fix = needed > 1 << 30
                ? "no ring takes a record that large (at most " + ((1 << 30) / 8 - 8) + " bytes, with --capacity 1g): split it"
                : "a ring is sized when it is created: remove it (rm " + channel.file() + ", or ringfork clean) and run"
                        + " again with --capacity " + human(needed) + " or more";
        return channel.description() + " takes records of up to " + channel.maxRecordBytes()
                + " bytes (an eighth of its ring, less 8); " + fix;
    }

    private static String human(long bytes) {
        return bytes >= 1 << 30 ? (bytes >> 30) + "g" : bytes >= 1 << 20 ? (bytes >> 20) + "m" : (bytes >> 10) + "k";
    }
}
