import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.ipc.channel.Connection;
import dev.ringfork.ipc.channel.EndOfStreamException;
import dev.ringfork.ipc.channel.Pipe;
import dev.ringfork.ipc.codec.Codec;

/** Both ends of a Pipe, here in one process for brevity (each end is usually taken by its own process). */
public class Pipes {
    public static void main(String[] args) throws Exception {
        try (SharedRegion region = SharedRegion.openOrCreate("control")) {
            // region: pipe
            Connection<Long> parent = Pipe.open(region, "ctl", Codec.int64()).first();    // this process
            Connection<Long> child  = Pipe.open(region, "ctl", Codec.int64()).second();   // the other one
            parent.send(41L);  child.send(child.recv() + 1);  long answer = parent.recv(); // 42
            parent.close();                                // child drains, then recv() throws EndOfStreamException
            // endregion
            System.out.println("answer " + answer);
            try {
                child.recv();
                throw new AssertionError("recv() after the peer closed returned");
            } catch (EndOfStreamException expected) {
                System.out.println("child: EndOfStreamException");
            }
        }
    }
}
// prints: answer 42
// prints: child: EndOfStreamException
