package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * One chunk or task of a cluster pool, as the submitter sends it to a host agent through the
 * {@link #EXECUTOR} executor: the agent runs {@code call} (a serialized {@link WorkerCalls.ChunkCall} or
 * {@link WorkerCalls.TaskCall}) as one task of its local pool for {@code spec}, and answers with the bytes the worker
 * returned.
 *
 * <p>Sent once per chunk, so it is a {@link DataSerializable}: its fields written as they are, where Java serialization
 * (an ObjectOutputStream and its class descriptors per chunk) took about a tenth of a host agent's CPU.
 */
public final class PoolTask implements Callable<byte[]>, DataSerializable, HazelcastInstanceAware {

    /** The members' executor that runs pool work (sized by the agent for its workers). */
    public static final String EXECUTOR = "ringfork.pool";
    /** The members' executor for control messages (closing a pool), never queued behind work. */
    public static final String CONTROL = "ringfork.pool-control";

    private java.util.UUID poolId;
    /** The pool's {@link PoolSpec}, serialized once per pool: the agent reads it only when it starts the pool. */
    private byte[] spec;
    private byte[] call;
    private boolean chunk;
    private HazelcastInstance member;

    /** For Hazelcast, which fills it with {@link #readData}. */
    public PoolTask() {
    }

    /** {@code call} of pool {@code poolId}, whose serialized {@link PoolSpec} is {@code spec}: a map chunk or a task. */
    public PoolTask(java.util.UUID poolId, byte[] spec, byte[] call, boolean chunk) {
        this.poolId = poolId;
        this.spec = spec;
        this.call = call;
        this.chunk = chunk;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public byte[] call() throws Exception {
        return HostAgent.of(member).pools().run(poolId, spec, call, chunk);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(poolId.getMostSignificantBits());
        out.writeLong(poolId.getLeastSignificantBits());
        out.writeByteArray(spec);
        out.writeByteArray(call);
        out.writeBoolean(chunk);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        poolId = new java.util.UUID(in.readLong(), in.readLong());
        spec = in.readByteArray();
        call = in.readByteArray();
        chunk = in.readBoolean();
    }

    /** Closes a cluster pool's local pool on the member it runs on (broadcast when the pool closes). */
    public static final class Close implements Runnable, Serializable, HazelcastInstanceAware {
        private final java.util.UUID poolId;
        private final boolean now;
        private transient HazelcastInstance member;

        /** Closes {@code poolId}: at once ({@code now}, the workers are killed) or after its work. */
        public Close(java.util.UUID poolId, boolean now) {
            this.poolId = poolId;
            this.now = now;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance instance) {
            this.member = instance;
        }

        @Override
        public void run() {
            HostAgent.of(member).pools().close(poolId, now);
        }
    }
}
