package dev.sseproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChangeTest {
    @Test
    void payloadsOfEveryKindParseBack() {
        for (Change.Kind k : Change.Kind.values()) {
            if (k == Change.Kind.ALL || k == Change.Kind.UNKNOWN) {
                continue;
            }
            Change c = new Change(k, "111122223333/alias/with:colon");
            assertEquals(k.wireName() + ":111122223333/alias/with:colon", c.payload());
            assertEquals(c, Change.parse(c.payload()));
        }
    }

    @Test
    void triggerPayloadsAreRead() {
        assertEquals(new Change(Change.Kind.BUCKET, "b1"), Change.parse("bucket:b1"));
        assertEquals(new Change(Change.Kind.KMS_KEY, "111122223333/6f1e1c2a-0000-4000-8000-000000000001"),
                Change.parse("kms-key:111122223333/6f1e1c2a-0000-4000-8000-000000000001"));
        assertEquals(new Change(Change.Kind.KMS_ALIAS_NEW, "111122223333/alias/foo"),
                Change.parse("kms-alias-new:111122223333/alias/foo"));
        assertEquals(Change.ALL, Change.parse("*"));
    }

    @Test
    void whatDoesNotParseIsUnknownAndDropsEverything() {
        for (String p : new String[] {null, "", ":", "bucket", "bucket:", ":b1", "newkind:x", "*:x", "unknown:x", "BUCKET:b1"}) {
            assertEquals(Change.Kind.UNKNOWN, Change.parse(p).kind(), String.valueOf(p));
        }
    }

    @Test
    void aPayloadLongerThanPostgresTakesIsSentAsEverything() {
        String id = "é".repeat(4000); // 8000 bytes
        assertEquals("*", new Change(Change.Kind.ACCESS_KEY, id).payload());
        String fits = "a".repeat(Change.MAX_PAYLOAD_BYTES - "access-key:".length());
        assertEquals("access-key:" + fits, new Change(Change.Kind.ACCESS_KEY, fits).payload());
        assertEquals("*", Change.ALL.payload());
    }
}
