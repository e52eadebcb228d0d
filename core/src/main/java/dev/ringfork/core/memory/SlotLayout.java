package dev.ringfork.core.memory;

/**
 * One entry of a region's slot directory: the name of a shared value and where its data lives.
 *
 * <pre>
 *   0 +-----------------------+-----------------------+
 *     | kind code (4)         | name length (4)       |
 *   8 +-----------------------------------------------+
 *     | data offset (8), a multiple of 128            |
 *  16 +-----------------------------------------------+
 *     | data length (8)                               |
 *  24 +-----------------------------------------------+
 *     | name, UTF-8, up to 104 bytes                  |
 * 128 +-----------------------------------------------+
 * </pre>
 *
 * <p>Entries are written only under the region's allocation lock and become visible when the
 * allocator's "slots used" word is raised past them with a release store (see {@link SlotTable}).
 * An entry is never changed or removed afterwards.
 */
final class SlotLayout {

    static final int LENGTH = RegionLayout.LINE;
    static final long KIND_OFFSET = 0;
    static final long NAME_LENGTH_OFFSET = KIND_OFFSET + Integer.BYTES;
    static final long DATA_OFFSET_OFFSET = NAME_LENGTH_OFFSET + Integer.BYTES;
    static final long DATA_LENGTH_OFFSET = DATA_OFFSET_OFFSET + Long.BYTES;
    static final long NAME_OFFSET = DATA_LENGTH_OFFSET + Long.BYTES;
    static final int MAX_NAME_BYTES = (int) (LENGTH - NAME_OFFSET);

    private SlotLayout() {
    }
}
