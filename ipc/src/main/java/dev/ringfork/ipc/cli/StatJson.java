package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.internal.text.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of {@code ringfork stat --json}: the same data as the text, one object on one line
 * (with {@code --watch}, one line per refresh, with {@code refresh}, {@code time} and {@code rates}
 * added). Keys are camelCase; {@code mapped} and {@code messagesPerSecond} are null when unknown.
 */
final class StatJson {

    private StatJson() {
    }

    /** {@code {"directory", "exists", "regions": [{"name", "size", "creatorPid", "creatorAlive", "slots", "mapped"}]}}. */
    static String listing(StatListing listing, Watch watch) {
        Fields json = watched(watch).with("directory", listing.directory().toString()).with("exists", listing.exists())
                .with("regions", listing.rows().stream().map(StatJson::row).toList());
        return Json.line(json);
    }

    /** {@code {"name", "file", "layoutVersion", "size", "creatorPid", "creatorAlive", "slots": [...]}}, and "rates" when watching. */
    static String region(StatRegion region, List<StatRates.Rate> rates, Watch watch) {
        Fields json = watched(watch).with("name", region.name()).with("file", region.file().toString())
                .with("layoutVersion", region.layoutVersion()).with("size", region.size())
                .with("creatorPid", region.creatorPid()).with("creatorAlive", region.creatorAlive())
                .with("slots", region.slots().stream().map(StatJson::slot).toList());
        if (watch != null) {
            json.with("rates", rates.stream().map(rate -> new Fields().with("ring", rate.ring())
                    .with("bytesPerSecond", Math.round(rate.bytesPerSecond()))
                    .with("messagesPerSecond", Double.isNaN(rate.messagesPerSecond()) ? null : Math.round(rate.messagesPerSecond())))
                    .toList());
        }
        return Json.line(json);
    }

    /** What a refresh of {@code --watch} adds: its number (from 1) and time (ISO-8601). */
    record Watch(int refresh, String time) {
    }

    /** A JSON object's fields in the order they are added. */
    private static final class Fields extends LinkedHashMap<String, Object> {
        Fields with(String name, Object value) {
            put(name, value);
            return this;
        }
    }

    private static Fields watched(Watch watch) {
        Fields json = new Fields();
        return watch == null ? json : json.with("refresh", watch.refresh()).with("time", watch.time());
    }

    private static Fields row(StatListing.Row row) {
        Fields json = new Fields().with("name", row.name());
        if (row.problem() != null) {
            return json.with("problem", row.problem());
        }
        return json.with("size", row.size()).with("creatorPid", row.creatorPid()).with("creatorAlive", row.creatorAlive())
                .with("slots", row.slots()).with("mapped", row.mapped());
    }

    private static Fields slot(StatSlot slot) {
        Fields json = new Fields().with("name", slot.name());
        return switch (slot) {
            case StatSlot.Value value -> json.with("kind", lower(value.kind().name())).with("value", value.value());
            case StatSlot.Lock lock -> json.with("kind", "lock").with("ownerPid", lock.ownerPid())
                    .with("ownerAlive", lock.ownerAlive()).with("waiters", lock.waiters())
                    .with("ownerDeaths", lock.ownerDeaths());
            case StatSlot.Waitable waitable -> json.with("kind", lower(waitable.kind().name()))
                    .with("value", waitable.value()).with("sleepers", waitable.sleepers());
            case StatSlot.Bytes bytes -> json.with("kind", "bytes").with("size", bytes.size());
            case StatSlot.Unreadable unreadable -> json.with("kind", "ring").with("problem", unreadable.problem());
            case StatSlot.Described described -> json.with("kind", lower(described.kind().name())).with("state", described.state());
            case StatRing ring -> json.with("kind", "ring").with("ringKind", ring.kind().name())
                    .with("capacity", ring.capacity()).with("maxMessage", ring.maxMessage())
                    .with("head", ring.head()).with("tail", ring.tail())
                    .with("backlogBytes", ring.backlogBytes()).with("backlogMessages", ring.backlogMessages())
                    .with("backlogExact", ring.backlogExact()).with("uncommittedBytes", ring.uncommittedBytes())
                    .with("sleepingConsumers", ring.sleepingConsumers())
                    .with("sleepingProducers", ring.sleepingProducers())
                    .with("closed", ring.closed()).with("unblockedRecords", ring.unblockedRecords())
                    .with("lostMessages", ring.lostMessages()).with("redeliveredMessages", ring.redeliveredMessages())
                    .with("consumerSlots", ring.consumerSlots()).with("consumerSlotsInUse", ring.consumerSlotsInUse())
                    .with("producerSlots", ring.producerSlots()).with("producerSlotsInUse", ring.producerSlotsInUse())
                    .with("corrupt", ring.corrupt());
        };
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
