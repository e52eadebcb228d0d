import dev.ringfork.ipc.process.JvmProcess;

/** A child JVM running a lambda, as the README's tour shows it. */
public class ProcessTour {
    public static void main(String[] args) throws Exception {
        // region: process
        JvmProcess child = JvmProcess.builder().task(() -> System.out.println("hello from " + ProcessHandle.current().pid()))
                .heap("256m").systemProperty("mode", "fast").start();       // or .mainClass(Worker.class, "arg")
        int exitCode = child.join();                                         // join(timeout), terminate(), kill()
        // endregion
        System.out.println("exit code " + exitCode);
    }
}
// prints~: \[worker-1 ([0-9]+)\] hello from \1
// prints: exit code 0
