package dev.ringfork.core.memory;

/** A named slot of a region as the directory describes it: for diagnostics and tools. */
public record SlotInfo(String name, SlotKind kind, long offset, long length) {
}
