package dev.sseproxy.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sseproxy.inventory.EncryptionStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot as JSON (the shape is in the package documentation): what the admin API and the page's
 * data answer, and what {@code coverage_snapshot.document} stores (without {@code id}).
 */
public final class CoverageJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CoverageJson() {
    }

    /** The document of a snapshot, its {@code id} included when it has one. */
    public static ObjectNode write(CoverageSnapshot s) {
        ObjectNode root = JSON.createObjectNode();
        if (s.id() > 0) {
            root.put("id", s.id());
        }
        root.put("scannedAt", s.scannedAt().toString());
        root.put("durationMillis", s.durationMillis());
        ArrayNode buckets = root.putArray("buckets");
        for (BucketCoverage b : s.buckets()) {
            ObjectNode n = buckets.addObject();
            n.put("bucket", b.bucket());
            n.put("account", b.account());
            n.put("scannedAt", b.scannedAt().toString());
            tally(n, b.tally());
            b.error().ifPresent(e -> n.put("error", e));
        }
        ObjectNode totals = root.putObject("totals");
        totals.put("buckets", s.buckets().size());
        tally(totals, s.totals());
        return root;
    }

    private static void tally(ObjectNode n, Tally t) {
        n.put("objects", t.objects());
        n.put("bytes", t.bytes());
        Tally.Count enc = t.encrypted();
        n.putObject("encrypted").put("objects", enc.objects()).put("bytes", enc.bytes());
        ObjectNode byStatus = n.putObject("byStatus");
        t.byStatus().forEach((s, c) -> byStatus.putObject(s.wire()).put("objects", c.objects()).put("bytes", c.bytes()));
        ArrayNode keys = n.putArray("byKmsKey");
        for (Tally.KeyUsage k : t.byKmsKey()) {
            keys.addObject().put("keyArn", k.keyArn()).put("objects", k.objects()).put("bytes", k.bytes())
                    .put("bucketKey", k.bucketKey());
        }
    }

    /** The stored document as a snapshot of the given row id and node. */
    public static CoverageSnapshot read(long id, String node, String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (IOException e) {
            throw new IllegalStateException("coverage snapshot " + id + " is not JSON", e);
        }
        List<BucketCoverage> buckets = new ArrayList<>();
        for (JsonNode b : root.path("buckets")) {
            buckets.add(new BucketCoverage(b.path("bucket").asText(), b.path("account").asText(),
                    Instant.parse(b.path("scannedAt").asText()), tally(b),
                    b.hasNonNull("error") ? Optional.of(b.get("error").asText()) : Optional.empty()));
        }
        return new CoverageSnapshot(id, Instant.parse(root.path("scannedAt").asText()),
                root.path("durationMillis").asLong(), node, buckets, tally(root.path("totals")));
    }

    private static Tally tally(JsonNode n) {
        Map<EncryptionStatus, Tally.Count> byStatus = new EnumMap<>(EncryptionStatus.class);
        n.path("byStatus").fields().forEachRemaining(e -> EncryptionStatus.fromWire(e.getKey()).ifPresent(s ->
                byStatus.put(s, new Tally.Count(e.getValue().path("objects").asLong(), e.getValue().path("bytes").asLong()))));
        List<Tally.KeyUsage> keys = new ArrayList<>();
        for (JsonNode k : n.path("byKmsKey")) {
            keys.add(new Tally.KeyUsage(k.path("keyArn").asText(), k.path("bucketKey").asBoolean(),
                    k.path("objects").asLong(), k.path("bytes").asLong()));
        }
        return new Tally(n.path("objects").asLong(), n.path("bytes").asLong(), byStatus, keys);
    }
}
