package dev.sseproxy.catalog;

import java.time.Instant;

/**
 * A customer managed policy (V18), with its one version {@code v1}, the default.
 *
 * @param policyId    AWS's unique id: {@code ANPA} and 17 more characters
 * @param attachments how many users it is attached to
 */
public record ManagedPolicy(String accountId, String name, String path, String policyId, String description,
        String document, Instant createdAt, Instant updatedAt, int attachments) {
    /** {@code arn:aws:iam::<account>:policy<path><name>}. */
    public String arn() {
        return arn(accountId, path, name);
    }

    public static String arn(String accountId, String path, String name) {
        return "arn:aws:iam::" + accountId + ":policy" + path + name;
    }
}
