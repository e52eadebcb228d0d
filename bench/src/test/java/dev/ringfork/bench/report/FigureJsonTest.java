package dev.ringfork.bench.report;

import dev.ringfork.ipc.internal.text.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A figure's JSON form (written by the one JSON writer, {@link Json}). */
class FigureJsonTest {

    @Test
    void figureLeavesOutWhatItDoesNotHave() {
        assertEquals("""
                {
                  "suite": "peers",
                  "name": "spsc/32/agrona",
                  "value": 2,
                  "unit": "msg/s",
                  "rounds": [3, 1, 2]
                }
                """, Json.write(Figure.median("peers", "spsc/32/agrona", "msg/s", List.of(3.0, 1.0, 2.0)).toJson()));
        assertEquals("""
                {
                  "suite": "jmh",
                  "name": "A.b",
                  "value": 1.5,
                  "unit": "ns/op",
                  "error": 0.25
                }
                """, Json.write(new Figure("jmh", "A.b", 1.5, "ns/op", 0.25, List.of()).toJson()));
    }
}
