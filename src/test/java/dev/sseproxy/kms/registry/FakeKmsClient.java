package dev.sseproxy.kms.registry;

import dev.sseproxy.kms.DataKey;
import dev.sseproxy.kms.KeyInfo;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.Plaintext;
import dev.sseproxy.kms.Wrapped;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A KMS backend that only creates keys, records their names, and can hold its answer back. */
final class FakeKmsClient implements KmsClient {
    final List<String> created = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    volatile RuntimeException failure;

    @Override
    public Uni<KeyInfo> createKey(String name) {
        created.add(name);
        if (failure != null) {
            return Uni.createFrom().failure(failure);
        }
        return Uni.createFrom().completionStage(gate).map(v -> new KeyInfo(name, 1, 1));
    }

    @Override
    public Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> encryptionContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<Wrapped> encrypt(KeyRef key, byte[] plaintext, Map<String, String> encryptionContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<KeyInfo> rotateKey(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<KeyInfo> keyInfo(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion) {
        throw new UnsupportedOperationException();
    }
}
