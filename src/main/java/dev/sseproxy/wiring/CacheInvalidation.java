package dev.sseproxy.wiring;

import dev.sseproxy.bucketkey.BucketKeyCache;
import dev.sseproxy.catalog.AccountPublicAccessBlocks;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.cluster.Caches;
import dev.sseproxy.cluster.Change;
import dev.sseproxy.coverage.CoverageStore;
import dev.sseproxy.kms.registry.KeyRegistry;
import dev.sseproxy.notify.NotificationConfigurations;
import dev.sseproxy.sse.BucketEncryptionStore;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a {@link Change} drops on this node (the table in the package documentation): the same
 * entries the node that made the change dropped when it made it. It lives in {@code wiring}, above the
 * caches it names, so that {@code cluster} (which every layer may use for leases and shared limits) points
 * at no cache.
 */
@ApplicationScoped
public class CacheInvalidation implements Caches {
    private final BucketCatalog buckets;
    private final BucketEncryptionStore encryption;
    private final AccountService accounts;
    private final KeyRegistry keys;
    private final BucketKeyCache bucketKeys;
    private final AccountPublicAccessBlocks accountBlocks;
    private final CoverageStore coverage;
    private final NotificationConfigurations notifications;

    public CacheInvalidation(BucketCatalog buckets, BucketEncryptionStore encryption, AccountService accounts,
            KeyRegistry keys, BucketKeyCache bucketKeys, AccountPublicAccessBlocks accountBlocks, CoverageStore coverage,
            NotificationConfigurations notifications) {
        this.notifications = notifications;
        this.coverage = coverage;
        this.accountBlocks = accountBlocks;
        this.buckets = buckets;
        this.encryption = encryption;
        this.accounts = accounts;
        this.keys = keys;
        this.bucketKeys = bucketKeys;
    }

    @Override
    public void apply(Change change) {
        switch (change.kind()) {
            case BUCKET -> {
                buckets.forget(change.id());
                encryption.forget(change.id());
            }
            case BUCKET_ENCRYPTION -> encryption.forget(change.id());
            case ACCESS_KEY -> accounts.forgetCredential(change.id());
            case IAM_USER -> accounts.forgetUser(change.id());
            case IAM_POLICY -> accounts.forgetAccountUsers(change.id());
            // as KeyRegistry does after a change of its own: resolutions, then bucket keys
            case KMS_KEY, KMS_ALIAS -> keys.forgetAll();
            case KMS_KEY_NEW, KMS_ALIAS_NEW -> keys.forgetResolutions();
            case BUCKET_KEYS -> bucketKeys.invalidateAll();
            case ACCOUNT_PUBLIC_ACCESS_BLOCK -> accountBlocks.forget(change.id());
            // not a cache to drop: a newer snapshot to load (and show in the gauges)
            case COVERAGE -> coverage.reload();
            // not a cache entry to drop: every configuration is held, so the changed one is read again
            case BUCKET_NOTIFICATION -> notifications.reload(change.id());
            case ALL, UNKNOWN -> flushAll();
        }
    }

    @Override
    public void flushAll() {
        buckets.forgetAll();
        encryption.forgetAll();
        accounts.forgetCredentials();
        keys.forgetAll();
        bucketKeys.invalidateAll();
        accountBlocks.forgetAll();
        coverage.reload();
        notifications.reloadAll();
    }
}
