package dev.ringfork.core.ring;

/** Who may write and read a ring. Stored in its header; attaching as another kind is refused. */
public enum RingKind {
    /** One producer, one consumer. */
    SPSC(1),
    /** Many producers, one consumer. */
    MPSC(2),
    /** Many producers, many competing consumers: each message goes to exactly one consumer. */
    MPMC(3);

    private final int code;

    RingKind(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The kind stored in a ring header under {@code code}, or null if there is none. */
    public static RingKind fromCode(int code) {
        for (RingKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
