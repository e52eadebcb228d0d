package dev.ringfork.ipc.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The JSON form of {@code ringfork stat --json}: the same data as the text, one object on one line
 * (with {@code --watch}, one line per refresh, with {@code refresh}, {@code time} and {@code rates}
 * added). Keys are camelCase; {@code mapped} and {@code messagesPerSecond} are null when unknown.
 */
final class StatJson {

    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    private StatJson() {
    }

    /** {@code {"directory", "exists", "regions": [{"name", "size", "creatorPid", "creatorAlive", "slots", "mapped"}]}}. */
    static String listing(StatListing listing, Watch watch) {
        StatJson json = new StatJson();
        json.out.append('{');
        json.watch(watch).field("directory", listing.directory().toString()).field("exists", listing.exists())
                .array("regions", listing.rows(), StatJson::row);
        return json.out.append('}').toString();
    }

    /** {@code {"name", "file", "layoutVersion", "size", "creatorPid", "creatorAlive", "slots": [...]}}, and "rates" when watching. */
    static String region(StatRegion region, List<StatRates.Rate> rates, Watch watch) {
        StatJson json = new StatJson();
        json.out.append('{');
        json.watch(watch).field("name", region.name()).field("file", region.file().toString())
                .field("layoutVersion", region.layoutVersion()).field("size", region.size())
                .field("creatorPid", region.creatorPid()).field("creatorAlive", region.creatorAlive())
                .array("slots", region.slots(), StatJson::slot);
        if (watch != null) {
            json.array("rates", rates, (j, rate) -> j.field("ring", rate.ring())
                    .field("bytesPerSecond", Math.round(rate.bytesPerSecond()))
                    .field("messagesPerSecond", Double.isNaN(rate.messagesPerSecond()) ? null : Math.round(rate.messagesPerSecond())));
        }
        return json.out.append('}').toString();
    }

    /** What a refresh of {@code --watch} adds: its number (from 1) and time (ISO-8601). */
    record Watch(int refresh, String time) {
    }

    private StatJson watch(Watch watch) {
        return watch == null ? this : field("refresh", watch.refresh()).field("time", watch.time());
    }

    private void row(StatListing.Row row) {
        field("name", row.name());
        if (row.problem() != null) {
            field("problem", row.problem());
        } else {
            field("size", row.size()).field("creatorPid", row.creatorPid()).field("creatorAlive", row.creatorAlive())
                    .field("slots", row.slots()).field("mapped", row.mapped());
        }
    }

    private void slot(StatSlot slot) {
        field("name", slot.name());
        switch (slot) {
            case StatSlot.Value value -> field("kind", lower(value.kind().name())).field("value", value.value());
            case StatSlot.Lock lock -> field("kind", "lock").field("ownerPid", lock.ownerPid())
                    .field("ownerAlive", lock.ownerAlive()).field("waiters", lock.waiters())
                    .field("ownerDeaths", lock.ownerDeaths());
            case StatSlot.Waitable waitable -> field("kind", lower(waitable.kind().name()))
                    .field("value", waitable.value()).field("sleepers", waitable.sleepers());
            case StatSlot.Bytes bytes -> field("kind", "bytes").field("size", bytes.size());
            case StatSlot.Unreadable unreadable -> field("kind", "ring").field("problem", unreadable.problem());
            case StatRing ring -> field("kind", "ring").field("ringKind", ring.kind().name())
                    .field("capacity", ring.capacity()).field("maxMessage", ring.maxMessage())
                    .field("head", ring.head()).field("tail", ring.tail())
                    .field("backlogBytes", ring.backlogBytes()).field("backlogMessages", ring.backlogMessages())
                    .field("backlogExact", ring.backlogExact()).field("uncommittedBytes", ring.uncommittedBytes())
                    .field("sleepingConsumers", ring.sleepingConsumers())
                    .field("sleepingProducers", ring.sleepingProducers())
                    .field("closed", ring.closed()).field("unblockedRecords", ring.unblockedRecords())
                    .field("lostMessages", ring.lostMessages()).field("redeliveredMessages", ring.redeliveredMessages())
                    .field("consumerSlots", ring.consumerSlots()).field("consumerSlotsInUse", ring.consumerSlotsInUse())
                    .field("producerSlots", ring.producerSlots()).field("producerSlotsInUse", ring.producerSlotsInUse())
                    .field("corrupt", ring.corrupt());
        }
    }

    /** An array of objects, each written by {@code element}. */
    private <T> StatJson array(String name, List<T> items, BiConsumer<StatJson, T> element) {
        name(name);
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "{" : ",{");
            first = true;
            element.accept(this, items.get(i));
            out.append('}');
        }
        out.append(']');
        first = false;
        return this;
    }

    private void name(String name) {
        out.append(first ? "" : ",").append(quote(name)).append(':');
        first = false;
    }

    /** A field whose value is null, a String, or a number or boolean (written as Java prints it). */
    private StatJson field(String name, Object value) {
        name(name);
        out.append(value == null ? "null" : value instanceof String text ? quote(text) : value.toString());
        return this;
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }
}
