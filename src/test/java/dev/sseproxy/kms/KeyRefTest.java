package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRefTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "_", "9", "bucket-key.v2", "a_b-c.d", "A.-.z"})
    void transitNamesAreAccepted(String name) {
        assertEquals(name, KeyRef.of(name).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".a", "a.", "-a", "a-", "a/b", "..", "a?b", "a b", "é", "a\u0000"})
    void namesThatCouldLeaveTheirPathSegmentAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> KeyRef.of(name));
    }

    @org.junit.jupiter.api.Test
    void namesAreAtMost128Characters() {
        assertEquals(128, KeyRef.of("k".repeat(128)).name().length());
        assertThrows(IllegalArgumentException.class, () -> KeyRef.of("k".repeat(129)));
    }
}
