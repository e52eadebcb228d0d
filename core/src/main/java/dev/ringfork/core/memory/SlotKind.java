package dev.ringfork.core.memory;

/** What a named slot in a region holds. The code is stored in the slot directory and never changes. */
public enum SlotKind {
    INT(1), LONG(2), LOCK(3), SEMAPHORE(4), EVENT(5), BYTES(6), BOUNDED_SEMAPHORE(7), REENTRANT_LOCK(8),
    CONDITION(9), BARRIER(10), INT_ARRAY(11), LONG_ARRAY(12), DOUBLE_ARRAY(13), DOUBLE(14);

    private final int code;

    SlotKind(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static SlotKind fromCode(int code) {
        for (SlotKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
