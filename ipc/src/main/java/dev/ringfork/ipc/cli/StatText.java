package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.SlotKind;
import dev.ringfork.core.ring.RingKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The human-readable form of {@code ringfork stat}: aligned, but every line stable and greppable. A slot
 * line starts with its kind and name ({@code ring jobs}), then {@code key value} pairs two spaces apart:
 * <pre>
 * region work  file /dev/shm/ringfork-me/work  layout 2.0  size 1048576  creator 4242 (alive)  slots 3
 * int done     value 17
 * lock books   owner 4242 (alive)  waiters no  deaths 0
 * ring jobs    SPSC  capacity 1048576  max message 131064  head 0  tail 4096  backlog 4096 B / 102 messages  ...
 * rate jobs    40960 bytes/s  1024 messages/s (estimated)
 * </pre>
 */
final class StatText {

    private StatText() {
    }

    static String listing(StatListing listing) {
        StringBuilder out = new StringBuilder();
        int count = listing.rows().size();
        out.append("directory ").append(listing.directory()).append("  ").append(count)
                .append(count == 1 ? " region" : " regions").append(listing.exists() ? "" : " (it does not exist)").append('\n');
        if (count == 0) {
            return out.toString();
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"NAME", "SIZE", "CREATOR", "ALIVE", "SLOTS", "MAPPED"});
        for (StatListing.Row row : listing.rows()) {
            table.add(row.problem() != null
                    ? new String[] {row.name(), "error: " + row.problem()}
                    : new String[] {row.name(), Long.toString(row.size()), Long.toString(row.creatorPid()),
                            yesNo(row.creatorAlive()), Integer.toString(row.slots()),
                            row.mapped() == null ? "?" : yesNo(row.mapped())});
        }
        int[] widths = new int[6];
        for (String[] cells : table) {
            if (cells.length == widths.length) {
                for (int i = 0; i < cells.length; i++) {
                    widths[i] = Math.max(widths[i], cells[i].length());
                }
            } else {
                widths[0] = Math.max(widths[0], cells[0].length());
            }
        }
        for (String[] cells : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                line.append(i == cells.length - 1 ? cells[i] : pad(cells[i], widths[i] + 2));
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    static String region(StatRegion region, List<StatRates.Rate> rates) {
        StringBuilder out = new StringBuilder();
        out.append("region ").append(region.name()).append("  file ").append(region.file())
                .append("  layout ").append(region.layoutVersion()).append("  size ").append(region.size())
                .append("  creator ").append(region.creatorPid()).append(region.creatorAlive() ? " (alive)" : " (dead)")
                .append("  slots ").append(region.slots().size()).append('\n');
        List<String[]> lines = new ArrayList<>();
        for (StatSlot slot : region.slots()) {
            lines.add(new String[] {label(slot), details(slot)});
        }
        for (StatRates.Rate rate : rates) {
            lines.add(new String[] {"rate " + rate.ring(), rate(rate)});
        }
        int width = lines.stream().mapToInt(line -> line[0].length()).max().orElse(0);
        for (String[] line : lines) {
            out.append(pad(line[0], width + 2)).append(line[1]).append('\n');
        }
        return out.toString();
    }

    private static String label(StatSlot slot) {
        String kind = switch (slot) {
            case StatSlot.Value value -> value.kind().name().toLowerCase(Locale.ROOT);
            case StatSlot.Lock lock -> "lock";
            case StatSlot.Waitable waitable -> waitable.kind().name().toLowerCase(Locale.ROOT);
            case StatSlot.Bytes bytes -> "bytes";
            case StatSlot.Unreadable unreadable -> "ring";
            case StatSlot.Described described -> described.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
            case StatRing ring -> "ring";
        };
        return kind + " " + slot.name();
    }

    private static String details(StatSlot slot) {
        return switch (slot) {
            case StatSlot.Value value -> "value " + value.value();
            case StatSlot.Lock lock -> "owner " + lock.ownerPid()
                    + (lock.ownerPid() == 0 ? " (free)" : lock.ownerAlive() ? " (alive)" : " (dead)")
                    + "  waiters " + yesNo(lock.waiters()) + "  deaths " + lock.ownerDeaths();
            case StatSlot.Waitable waitable -> "value " + waitable.value()
                    + (waitable.kind() == SlotKind.EVENT ? (waitable.value() != 0 ? " (set)" : " (clear)") : "")
                    + "  sleepers " + waitable.sleepers();
            case StatSlot.Bytes bytes -> "size " + bytes.size();
            case StatSlot.Unreadable unreadable -> "error: " + unreadable.problem();
            case StatSlot.Described described -> described.state();
            case StatRing ring -> ring(ring);
        };
    }

    private static String ring(StatRing ring) {
        StringBuilder out = new StringBuilder();
        out.append(ring.kind()).append("  capacity ").append(ring.capacity()).append("  max message ").append(ring.maxMessage())
                .append("  head ").append(ring.head()).append("  tail ").append(ring.tail())
                .append("  backlog ").append(ring.backlogBytes()).append(" B / ").append(ring.backlogExact() ? "" : ">=")
                .append(ring.backlogMessages()).append(" messages");
        if (ring.uncommittedBytes() > 0) {
            out.append("  uncommitted ").append(ring.uncommittedBytes()).append(" B");
        }
        out.append("  consumers asleep ").append(ring.sleepingConsumers())
                .append("  producers asleep ").append(ring.sleepingProducers())
                .append("  closed ").append(yesNo(ring.closed()))
                .append("  unblocked ").append(ring.unblockedRecords())
                .append("  lost ").append(ring.lostMessages())
                .append("  redelivered ").append(ring.redeliveredMessages());
        if (ring.kind() == RingKind.MPMC) {
            out.append("  consumer slots ").append(ring.consumerSlotsInUse()).append('/').append(ring.consumerSlots());
        }
        if (ring.kind() != RingKind.SPSC) {
            out.append("  producer slots ").append(ring.producerSlotsInUse()).append('/').append(ring.producerSlots());
        }
        if (ring.corrupt()) {
            out.append("  CORRUPT (open it to see where)");
        }
        return out.toString();
    }

    private static String rate(StatRates.Rate rate) {
        return Math.round(rate.bytesPerSecond()) + " bytes/s  "
                + (Double.isNaN(rate.messagesPerSecond()) ? "?" : Long.toString(Math.round(rate.messagesPerSecond())))
                + " messages/s (estimated)";
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + "  " : text + " ".repeat(width - text.length());
    }
}
