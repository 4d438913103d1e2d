package dev.sseproxy.catalog;

import java.time.Instant;

/**
 * An IAM user of an account (V18).
 *
 * @param userId AWS's unique id of the user: {@code AIDA} and 17 more characters
 * @param path   {@code /} unless set; starts and ends with {@code /}
 */
public record IamUser(String accountId, String name, String path, String userId, Instant createdAt) {
    /** {@code arn:aws:iam::<account>:user<path><name>}. */
    public String arn() {
        return "arn:aws:iam::" + accountId + ":user" + path + name;
    }
}
