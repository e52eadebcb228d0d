package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
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
            description = "the region that holds it, created if absent: letters, digits, '.', '_', '-'")
    String name;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "the region directory (default: $RINGFORK_DIR, else /dev/shm/ringfork-$USER)")
    Path dir;

    @Option(names = "--capacity", paramLabel = "SIZE", converter = Converters.Capacity.class,
            description = "ring bytes, if this command creates it: a power of two from 1k to 1g (default 1m);"
                    + " the largest record is an eighth of it less 8 bytes")
    Integer capacity;

    @Option(names = {"-0", "--null"}, description = "records end with a NUL byte instead of a newline")
    boolean nul;

    @Option(names = "--raw", description = "records are a 4-byte big-endian length and that many bytes")
    boolean raw;

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
