package dev.ringfork.ipc.internal.cluster;

import java.io.Serializable;
import java.util.List;
import java.util.UUID;

/**
 * What a host agent needs to start its local pool for one cluster pool: sent with every chunk and task, so the first
 * one to reach a host starts the pool there and no other message has to arrive first.
 *
 * @param poolId            the cluster pool's id
 * @param client            the submitting client's id: the agent closes the pool when that client disconnects
 * @param jvmOptions        the user's options for the worker JVMs
 * @param initializer       the serialized initializer, run once per worker JVM on every host, or null
 * @param maxTasksPerWorker chunks or tasks a worker runs before it is replaced (0: no limit)
 * @param retries           times a host's local pool runs a chunk again when its worker JVM died
 */
public record PoolSpec(UUID poolId, UUID client, List<String> jvmOptions, byte[] initializer, int maxTasksPerWorker,
                       int retries) implements Serializable {

    public PoolSpec {
        jvmOptions = List.copyOf(jvmOptions);
    }
}
