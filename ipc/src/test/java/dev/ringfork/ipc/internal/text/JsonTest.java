package dev.ringfork.ipc.internal.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {

    @Test
    void escapesStrings() {
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u2028 µs ✓\"\n",
                Json.write("a\"b\\c\nd\re\tf\bg\fh\u0001i\u2028 µs ✓"));
        assertEquals("\"/\"\n", Json.write("/"));
    }

    @Test
    void writesNumbers() {
        assertEquals("[0, -3, 42, 12345678, 1.5, -0.25, 1.0E-9, 1.0E20, null, null, null, 7, 9007199254740993]\n",
                Json.write(Arrays.asList(0.0, -3.0, 42, 12_345_678.0, 1.5, -0.25, 1e-9, 1e20,
                        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 7.0f, 9007199254740993L)));
    }

    @Test
    void writesScalars() {
        assertEquals("true\n", Json.write(true));
        assertEquals("null\n", Json.write(null));
        assertEquals("{}\n", Json.write(Map.of()));
        assertEquals("[]\n", Json.write(List.of()));
    }

    @Test
    void nestsObjectsAndArraysInOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("name", "spsc/32/agrona");
        inner.put("rounds", List.of(1.0, 2.5));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("z", 1);
        root.put("figures", List.of(inner, Map.of()));
        root.put("a", new ArrayList<>(Arrays.asList("x", null, false)));
        root.put("empty", Map.of());
        assertEquals("""
                {
                  "z": 1,
                  "figures": [
                    {
                      "name": "spsc/32/agrona",
                      "rounds": [1, 2.5]
                    },
                    {}
                  ],
                  "a": ["x", null, false],
                  "empty": {}
                }
                """, Json.write(root));
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void writesOneLineWhenAsked() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "a \"ring\"");
        root.put("slots", List.of(Map.of("kind", "lock"), 3));
        root.put("rate", Double.NaN);
        root.put("empty", List.of());
        assertEquals("{\"name\":\"a \\\"ring\\\"\",\"slots\":[{\"kind\":\"lock\"},3],\"rate\":null,\"empty\":[]}",
                Json.line(root));
    }
}
