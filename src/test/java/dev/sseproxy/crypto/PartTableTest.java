package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartTableTest {

    @Test
    void singlePutIsOnePartNumberedOne() {
        assertEquals("1x5", PartTable.single(5).encode());
        assertEquals(List.of(new PartTable.Part(1, 5)), PartTable.decode("1x5").parts());
    }

    @Test
    void equalPartsCollapseIntoOneRun() {
        long[] sizes = new long[1000];
        java.util.Arrays.fill(sizes, 8_388_608);
        sizes[999] = 1234;
        PartTable t = PartTable.ofSizes(sizes);
        assertEquals("999x8388608,1x1234", t.encode());
        assertEquals(t, PartTable.decode(t.encode()));
        assertEquals(999L * 8_388_608 + 1234, t.plaintextLength());
    }

    @Test
    void gapsInPartNumbersAreWrittenOnlyWhereTheyOccur() {
        PartTable t = new PartTable(List.of(new PartTable.Part(1, 100), new PartTable.Part(2, 100),
                new PartTable.Part(5, 300), new PartTable.Part(6, 300), new PartTable.Part(7, 1)));
        assertEquals("2x100,5:2x300,1x1", t.encode());
        assertEquals(t, PartTable.decode("2x100,5:2x300,1x1"));
    }

    @Test
    void randomTablesRoundTripThroughTheirTextForm() {
        Random r = new Random(9);
        for (int i = 0; i < 200; i++) {
            List<PartTable.Part> parts = new ArrayList<>();
            int number = 0;
            for (int p = 0, n = 1 + r.nextInt(50); p < n; p++) {
                number += 1 + (r.nextInt(5) == 0 ? r.nextInt(100) : 0);
                parts.add(new PartTable.Part(number, r.nextBoolean() ? 5_242_880 : r.nextInt(3)));
            }
            PartTable t = new PartTable(parts);
            assertEquals(t, PartTable.decode(t.encode()), t.encode());
        }
    }

    @Test
    void nonCanonicalButValidTextDecodes() {
        assertEquals(PartTable.ofSizes(7, 7, 7), PartTable.decode("1:1x7,2x7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x5", "1x", "0x5", "01x5", "1x05", "1x-5", "1x5,", ",1x5", "1x5,1:1x5", "0:1x5",
            "1 x5", "10001x1", "5000x1,5001x1", "2147483647:2x1", "1x99999999999999999999", "1x5;2x3",
            "1:2:3x4", "1:x5", ":1x5", "1x5x6", "01:1x5", "12345678901:1x5", "1x9999999999999999999", "1x5 ", "1X5"})
    void malformedTablesAreRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> PartTable.decode(text));
    }

    @Test
    void tablesMustBeNonEmptyAndIncreasing() {
        assertThrows(IllegalArgumentException.class, () -> new PartTable(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new PartTable(List.of(new PartTable.Part(2, 1), new PartTable.Part(2, 1))));
    }

    @Test
    void ciphertextLengthIsTheSumOfThePartsStoredLengths() {
        PartTable t = PartTable.ofSizes(65_536, 0, 1);
        assertEquals(65_552 + 16 + 17, t.ciphertextLength());
    }
}
