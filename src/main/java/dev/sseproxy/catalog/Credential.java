package dev.sseproxy.catalog;

/** An active access key with its opened secret; {@link #toString()} never shows the secret. */
public record Credential(String accessKeyId, String accountId, String secretKey) {
    @Override
    public String toString() {
        return "Credential[" + accessKeyId + ", account " + accountId + ", secret [redacted]]";
    }
}
