package dev.sseproxy.sse;

import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.CatalogException;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.crypto.Envelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;

/**
 * Adoption of a bucket that exists at the backend but not in the catalog (made at MinIO before
 * sse-proxy, or by another installation): root names the account that will own it, and learns how
 * many of its objects are still plaintext (no envelope: served as they are, never encrypted in
 * place) and how many are encrypted. CreateBucket never adopts such a bucket; it answers 409
 * BucketAlreadyExists.
 *
 * <p>The objects are counted from the backend's listing with metadata (MinIO's {@code metadata=true}
 * extension, which carries the envelope), 1,000 a page, one page in memory at a time: no HEAD per
 * object, and a bucket of any size costs one listing pass. The count is taken before the bucket is
 * registered, so it describes the bucket as it was adopted.
 */
@ApplicationScoped
public class BucketAdoption {
    private static final int PAGE = 1000;

    /** What adoption reports: the objects at the backend, with and without an envelope. */
    public record Adopted(String bucket, String account, long objects, long encrypted, long notEncrypted) {
    }

    private final ObjectStore store;
    private final BucketCatalog catalog;
    private final AccountService accounts;
    private final String region;

    public BucketAdoption(ObjectStore store, BucketCatalog catalog, AccountService accounts, SseProxyConfig config) {
        this.store = store;
        this.catalog = catalog;
        this.accounts = accounts;
        this.region = config.region();
    }

    /**
     * Registers {@code bucket} for {@code accountId}. Fails with {@link CatalogException.NotFound}
     * when the account or the backend bucket does not exist, and {@link CatalogException.BucketTaken}
     * when the catalog already has the name.
     */
    public Uni<Adopted> adopt(String bucket, String accountId) {
        return accounts.account(accountId)
                .chain(a -> a.isPresent() ? catalog.find(bucket)
                        : Uni.createFrom().failure(new CatalogException.NotFound("account " + accountId)))
                .chain(existing -> existing.isPresent()
                        ? Uni.createFrom().failure(new CatalogException.BucketTaken(bucket))
                        : backendBucket(bucket))
                .chain(v -> count(bucket, null, 0, 0))
                .chain(counts -> catalog.create(bucket, accountId, region)
                        .map(b -> new Adopted(bucket, accountId, counts[0] + counts[1], counts[0], counts[1])));
    }

    private Uni<Void> backendBucket(String bucket) {
        return store.headBucket(bucket)
                .onFailure(e -> e instanceof BackendException.Rejected r && r.status() == 404)
                .transform(e -> new CatalogException.NotFound("bucket " + bucket + " at the backend"));
    }

    /** {encrypted, not encrypted}, counted page by page from {@code token} on. */
    private Uni<long[]> count(String bucket, String token, long encrypted, long plain) {
        return store.list(new ObjectStore.ListPage(bucket, null, null, token, null, PAGE, true)).chain(page -> {
            long enc = encrypted;
            long pl = plain;
            for (BackendXml.Contents c : page.contents) {
                if (hasEnvelope(c.userMetadata)) {
                    enc++;
                } else {
                    pl++;
                }
            }
            if (page.truncated && page.nextContinuationToken != null && !page.contents.isEmpty()) {
                return count(bucket, page.nextContinuationToken, enc, pl);
            }
            return Uni.createFrom().item(new long[] {enc, pl});
        });
    }

    static boolean hasEnvelope(Map<String, String> userMetadata) {
        return userMetadata != null && userMetadata.keySet().stream()
                .anyMatch(k -> k.toLowerCase(Locale.ROOT).startsWith(Envelope.PREFIX));
    }
}
