package dev.ringfork.bench.peer;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingProducer;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

import java.lang.foreign.MemorySegment;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The in-process reference: one JVM, a producer thread and a consumer thread (this one). On-heap queues
 * carry a boxed sequence number per message (non-blocking offer/poll, busy spin); Ringfork rings carry
 * {@code size}-byte messages in place (claim/commit, read with no limit), as across processes.
 * {@code queue=abq|mmcaq} need Agrona's flag only for mmcaq; {@code queue=spsc|mpmc} are Ringfork's.
 */
final class InProcessPeer {

    static final int QUEUE_CAPACITY = 32 * 1024;

    private InProcessPeer() {
    }

    static void run(String role, Args args, Control control) throws InterruptedException {
        String queue = args.str("queue");
        switch (queue) {
            case "abq" -> onHeap(new ArrayBlockingQueue<>(QUEUE_CAPACITY), args, control);
            case "mmcaq" -> onHeap(new ManyToManyConcurrentArrayQueue<>(QUEUE_CAPACITY), args, control);
            case "spsc", "mpmc" -> {
                try (SharedRegion region = RingforkPeer.region(args)) {
                    ring(RingforkPeer.ring(region, queue, "ring", RingforkPeer.options(args)), args, control);
                }
            }
            default -> throw new IllegalArgumentException("queue=abq|mmcaq|spsc|mpmc");
        }
    }

    private static void onHeap(Queue<Long> queue, Args args, Control control) throws InterruptedException {
        int size = args.size();
        long count = args.count();
        Thread producer = Thread.ofPlatform().name("producer").start(() -> {
            long seq = 0;
            if (control.awaitPast(Control.INIT)) {
                while (seq < count) {
                    if (queue.offer(seq)) {
                        seq++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
            control.sent(0, seq);
        });
        Meter meter = new Meter(1, count, false);
        control.signalReady();
        while (!meter.done()) {
            Long message = queue.poll();
            if (message == null) {
                Thread.onSpinWait();
            } else {
                meter.check(message, 0, size, size);
            }
        }
        producer.join();
        PeerChild.result("consumer", meter.result());
    }

    private static void ring(Ring ring, Args args, Control control) throws InterruptedException {
        int size = args.size();
        RingProducer producer = ring.producer();
        byte[] payload = new byte[size];
        Thread thread = Thread.ofPlatform().name("producer").start(() -> {
            long seq = 0;
            if (control.awaitPast(Control.INIT)) {
                seq = RingforkPeer.writeClaimed(producer, MemorySegment.ofArray(payload), size, 0, args.count());
            }
            control.sent(0, seq);
        });
        Meter meter = new Meter(1, args.count(), false);
        MessageHandler handler = RingforkPeer.checking(meter, size);
        int limit = args.limit();
        try (RingConsumer consumer = ring.consumer()) {
            control.signalReady();
            while (!meter.done()) {
                if (consumer.read(handler, limit) == 0) {
                    Thread.onSpinWait();
                }
            }
            thread.join();
            PeerChild.result("consumer", meter.result());
        }
    }
}
