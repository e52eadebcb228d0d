package dev.ringfork.bench.peer;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Chronicle Queue 2026.4, appender in one JVM and tailer in another, on a queue in the measurement's
 * directory (on /dev/shm, like the rings). Each message is one document written with the low-level
 * {@code writingDocument()} / {@code readingDocument()} API and raw bytes (no marshalling). The queue
 * keeps every message (on /dev/shm), so it is measured with the short count only.
 */
final class ChroniclePeer {

    private ChroniclePeer() {
    }

    static void run(String role, Args args, Control control) {
        try (ChronicleQueue queue = ChronicleQueue.singleBuilder(args.dir().resolve("queue")).build()) {
            switch (role) {
                case "consumer" -> consumer(queue, args, control);
                case "producer" -> producer(queue, args, control);
                default -> throw new IllegalArgumentException("unknown role " + role);
            }
        }
    }

    static void consumer(ChronicleQueue queue, Args args, Control control) {
        int size = args.size();
        int producers = args.producers();
        Meter meter = new Meter(producers, args.count() * producers, false);
        try (ExcerptTailer tailer = queue.createTailer()) {
            control.signalReady();
            while (!meter.done()) {
                if (!readOne(tailer, meter, size)) {
                    Thread.onSpinWait();
                }
            }
            PeerChild.consumerDone(control, args.id(), meter);
        }
    }

    private static boolean readOne(ExcerptTailer tailer, Meter meter, int size) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            Bytes<?> bytes = dc.wire().bytes();
            long length = bytes.readRemaining();
            long seq = bytes.readLong();
            int id = bytes.readInt();
            meter.check(seq, id, length, size);
            return true;
        }
    }

    static void producer(ChronicleQueue queue, Args args, Control control) {
        int size = args.size();
        int id = args.id();
        long count = args.count();
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) i;
        }
        long seq = 0;
        try (ExcerptAppender appender = queue.createAppender()) {
            control.signalReady();
            if (control.awaitPast(Control.INIT)) {
                while (seq < count) {
                    try (DocumentContext dc = appender.writingDocument()) {
                        Bytes<?> bytes = dc.wire().bytes();
                        bytes.writeLong(seq);
                        bytes.writeInt(id);
                        bytes.write(payload, 12, size - 12);
                    }
                    seq++;
                }
            }
        }
        PeerChild.producerDone(control, id, seq);
    }
}
