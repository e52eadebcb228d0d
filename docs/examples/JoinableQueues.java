import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.ipc.channel.Channels;
import dev.ringfork.ipc.channel.Connection;
import dev.ringfork.ipc.channel.EndOfStreamException;
import dev.ringfork.ipc.channel.JoinableQueue;
import dev.ringfork.ipc.channel.Pipe;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.process.JvmProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python's JoinableQueue (a worker JVM marks each job done; the parent joins) and connection.wait
 * (the parent waits on a pipe from the worker and on the queue at once).
 */
public class JoinableQueues {

    /** The worker JVM: takes every job, reports it on the pipe, marks it done. */
    static void work() throws Exception {
        try (SharedRegion region = SharedRegion.open("jobs")) {
            // region: joinable-worker
            JoinableQueue<String> jobs = JoinableQueue.open(region, "jobs", Codec.string());
            Connection<String> report = Pipe.simplex(region, "reports", Codec.string()).writer();
            for (int i = 0; i < 3; i++) {
                String job = jobs.take();
                report.send("did " + job);
                jobs.taskDone();                                 // Python: task_done()
            }
            // endregion
            report.close();
        }
    }

    public static void main(String[] args) throws Exception {
        try (SharedRegion region = SharedRegion.openOrCreate("jobs")) {
            // region: joinable
            JoinableQueue<String> jobs = JoinableQueue.open(region, "jobs", Codec.string());
            Connection<String> reports = Pipe.simplex(region, "reports", Codec.string()).reader();
            JvmProcess worker = JvmProcess.builder().task(() -> {
                try {
                    JoinableQueues.work();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            for (String job : List.of("a", "b", "c")) {
                jobs.put(job);
            }
            boolean allDone = jobs.join(30, TimeUnit.SECONDS);   // Python: join(); sleeps, no CPU
            System.out.println("all done " + allDone + ", unfinished " + jobs.unfinishedTasks());
            // endregion
            // region: wait-any
            List<Object> inputs = new ArrayList<>(List.of(reports, jobs));
            int reported = 0;
            while (inputs.contains(reports)) {
                for (Object ready : Channels.waitAny(inputs, 30, TimeUnit.SECONDS)) {   // connection.wait
                    if (ready == reports) {
                        try {
                            reports.recv(0, TimeUnit.SECONDS);   // ready: does not wait
                            reported++;
                        } catch (EndOfStreamException end) {     // the worker closed it (or died: PeerDiedException)
                            inputs.remove(reports);
                        }
                    } else if (ready == jobs) {
                        jobs.poll();                             // nothing is put here any more
                    }
                }
            }
            System.out.println(reported + " reports, worker exit " + worker.join());
            // endregion
        }
    }
}
// prints: all done true, unfinished 0
// prints: 3 reports, worker exit 0
