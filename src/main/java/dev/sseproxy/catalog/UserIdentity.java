package dev.sseproxy.catalog;

import java.util.List;

/**
 * What a user's credential carries besides the key: the user and the documents of its identity
 * policies (inline ones, then attached managed ones), as stored.
 */
public record UserIdentity(IamUser user, List<String> policyDocuments) {
    public UserIdentity {
        policyDocuments = List.copyOf(policyDocuments);
    }
}
