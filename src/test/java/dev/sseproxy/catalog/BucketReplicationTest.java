package dev.sseproxy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketReplicationTest {

    static BucketReplication.Rule rule(String id, Integer priority, boolean enabled, String prefix,
            Map<String, String> tags, String destination) {
        return new BucketReplication.Rule(id, priority, enabled, new BucketReplication.Filter(prefix, tags), false,
                false, false, false, false, new BucketReplication.Destination("arn:aws:s3:::" + destination,
                        destination, null, null, false, null, null, null));
    }

    @Test
    void theEnabledMatchingRuleOfHighestPriorityWinsPerDestination() {
        BucketReplication c = new BucketReplication("arn:aws:iam::000000000001:role/r", List.of(
                rule("low", 1, true, "", Map.of(), "dst"),
                rule("high", 5, true, "logs/", Map.of(), "dst"),
                rule("off", 9, false, "", Map.of(), "dst"),
                rule("other", 2, true, "", Map.of("team", "a"), "dst2")));

        assertEquals(List.of("high"), ids(c.rulesFor("logs/x", Map.of())));
        assertEquals(List.of("low"), ids(c.rulesFor("data/x", Map.of())));
        assertEquals(List.of("low", "other"), ids(c.rulesFor("data/x", Map.of("team", "a"))).stream().sorted().toList());
        assertEquals(List.of("low"), ids(c.rulesFor("data/x", Map.of("team", "b"))));
    }

    @Test
    void noRuleSelectsAnObjectOutsideEveryFilter() {
        BucketReplication c = new BucketReplication(null, List.of(rule("a", 1, true, "p/", Map.of("k", "v"), "d")));
        assertEquals(List.of(), c.rulesFor("q/x", Map.of("k", "v")));
        assertEquals(List.of(), c.rulesFor("p/x", Map.of()));
        assertEquals(List.of("a"), ids(c.rulesFor("p/x", Map.of("k", "v", "other", "1"))));
    }

    @Test
    void theStoredFormReadsBackEqual() {
        BucketReplication c = new BucketReplication("arn:aws:iam::000000000001:role/r", List.of(
                new BucketReplication.Rule("r1", 3, true, new BucketReplication.Filter("a/", Map.of("x", "y")), false,
                        true, true, true, true, new BucketReplication.Destination("arn:aws:s3:::d", "d", "000000000002",
                                "STANDARD", true, "arn:aws:kms:us-east-1:000000000002:key/k", 15, 15))));
        assertEquals(c, BucketReplication.decode(c.encode()));
        assertNull(BucketReplication.decode(null));
        assertNull(BucketReplication.decode("not json"));
    }

    static List<String> ids(List<BucketReplication.Rule> rules) {
        return rules.stream().map(BucketReplication.Rule::id).toList();
    }
}
