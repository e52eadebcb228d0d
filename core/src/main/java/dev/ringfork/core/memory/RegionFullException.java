package dev.ringfork.core.memory;

/** No room left in a region for a new slot: its directory or its data area is full. */
public final class RegionFullException extends RegionException {
    private static final long serialVersionUID = 1L;

    private static final long MIB = 1L << 20;

    public RegionFullException(String message) {
        super(message);
    }

    /**
     * The data area cannot hold slot {@code slot}: {@code needed} bytes at {@code alignment}, in a region of
     * {@code regionSize} bytes with {@code free} left; {@code end} is where the slot would end. The message
     * names the size to create the region with: the whole MiB that holds every slot so far and this one.
     */
    static RegionFullException noRoom(String region, String slot, long needed, long alignment, long regionSize,
            long free, long end) {
        long suggested = Math.min(RegionOptions.MAX_SIZE, Math.max(end, regionSize + MIB) + MIB - 1 & -MIB);
        return new RegionFullException("region " + region + " is full: slot '" + slot + "' needs " + needed
                + " bytes (aligned to " + alignment + "), but the region is " + regionSize + " bytes with " + free
                + " free. Create the region with RegionOptions.defaults().withSize(" + suggested + ") (" + suggested / MIB
                + " MiB) or more, e.g. SharedRegion.openOrCreate(\"" + region + "\", RegionOptions.defaults().withSize("
                + suggested / MIB + "L << 20)); an existing region keeps its size, so unlink it first");
    }
}
