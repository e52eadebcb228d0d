package dev.ringfork.ipc.fault;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.core.testing.ChildSupport;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Child JVM mains of the ring and queue cells. First argument: the trial's directory. */
final class ChannelChildren {

    private ChannelChildren() {
    }

    static SharedRegion open(String[] args) {
        ChildSupport.dieWithParent(Trial.STEP.multipliedBy(2));
        return SharedRegion.open(Trial.REGION, RegionOptions.defaults().withDirectory(Path.of(args[0])));
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static void awaitGo(SharedRegion region) throws InterruptedException {
        say("READY");
        if (!region.event("go").await(Trial.STEP.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("no go");
        }
    }

    /** Args: dir channel producer count. Counts each commit in "committed-producer" right after it. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                Channels channel = Channels.valueOf(args[1]);
                int producer = Integer.parseInt(args[2]);
                long count = Long.parseLong(args[3]);
                SharedLong committed = region.sharedLong("committed-" + producer);
                awaitGo(region);
                channel.write(region, producer, count, committed::incrementAndGet);
                say("SENT " + producer + " " + count);
            }
        }
    }

    /**
     * Args: dir channel [micros]. Reads to the end of the stream, recording every payload in the shared
     * bitmap, with {@code micros} of work per payload.
     */
    public static final class Reader {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                Channels channel = Channels.valueOf(args[1]);
                Seen seen = Seen.in(region);
                awaitGo(region);
                channel.read(region, seen, args.length > 2 ? Integer.parseInt(args[2]) : 0);
                say("READ_DONE");
            }
        }
    }
}
