import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.ipc.channel.EndOfStreamException;
import dev.ringfork.ipc.channel.SharedQueue;
import dev.ringfork.ipc.codec.Codec;

/** A SharedQueue of strings: put, take, close, as the README shows it. */
public class Queues {
    public static void main(String[] args) throws Exception {
        // region: queue
        try (SharedRegion region = SharedRegion.openOrCreate("work")) {
            SharedQueue<String> jobs = SharedQueue.open(region, "jobs", Codec.string());
            jobs.put("resize:42");                     // producers, in any process
            String job = jobs.take();                  // takers, in any process: one consumer per thread
            System.out.println("took " + job);
            jobs.close();                              // closes for writing everywhere: takers drain, then take()
        }                                              // throws EndOfStreamException and poll() returns null
        // endregion
        try (SharedRegion region = SharedRegion.open("work")) {
            SharedQueue<String> jobs = SharedQueue.open(region, "jobs", Codec.string());
            System.out.println("poll after close: " + jobs.poll());
            try {
                jobs.take();
                throw new AssertionError("take() on a closed, empty queue returned");
            } catch (EndOfStreamException expected) {
                System.out.println("take after close: EndOfStreamException");
            }
        }
    }
}
// prints: took resize:42
// prints: poll after close: null
// prints: take after close: EndOfStreamException
