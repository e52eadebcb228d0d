package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The identity line of a region file ({@link RegionLayout}), read with a plain file read, never mapped:
 * for fields {@code SharedRegion} does not expose (the layout version) and for files about to be deleted.
 */
record StatHeaderFile(int major, int minor, long creatorPid) {

    /** The header of {@code file}, or null if it cannot be read or does not start with the Ringfork magic. */
    static StatHeaderFile read(Path file) {
        ByteBuffer header = ByteBuffer.allocate((int) RegionLayout.CREATOR_START_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // keep reading
            }
        } catch (IOException e) {
            return null;
        }
        if (header.hasRemaining() || header.getLong((int) RegionLayout.MAGIC_OFFSET) != RegionLayout.MAGIC) {
            return null;
        }
        return new StatHeaderFile(header.getInt((int) RegionLayout.MAJOR_OFFSET),
                header.getInt((int) RegionLayout.MINOR_OFFSET), header.getLong((int) RegionLayout.CREATOR_PID_OFFSET));
    }

    String version() {
        return major + "." + minor;
    }
}
