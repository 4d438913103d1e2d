package dev.sseproxy.api.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.api.kms.KmsJson.AliasListEntryJson;
import dev.sseproxy.api.kms.KmsJson.CancelKeyDeletionResponseJson;
import dev.sseproxy.api.kms.KmsJson.CreateAliasRequestJson;
import dev.sseproxy.api.kms.KmsJson.CreateKeyRequestJson;
import dev.sseproxy.api.kms.KmsJson.DeleteAliasRequestJson;
import dev.sseproxy.api.kms.KmsJson.GetKeyPolicyRequestJson;
import dev.sseproxy.api.kms.KmsJson.GetKeyPolicyResponseJson;
import dev.sseproxy.api.kms.KmsJson.KeyIdRequestJson;
import dev.sseproxy.api.kms.KmsJson.KeyListEntryJson;
import dev.sseproxy.api.kms.KmsJson.KeyMetadataResponseJson;
import dev.sseproxy.api.kms.KmsJson.ListAliasesRequestJson;
import dev.sseproxy.api.kms.KmsJson.ListAliasesResponseJson;
import dev.sseproxy.api.kms.KmsJson.ListKeysRequestJson;
import dev.sseproxy.api.kms.KmsJson.ListKeysResponseJson;
import dev.sseproxy.api.kms.KmsJson.PutKeyPolicyRequestJson;
import dev.sseproxy.api.kms.KmsJson.ScheduleKeyDeletionRequestJson;
import dev.sseproxy.api.kms.KmsJson.ScheduleKeyDeletionResponseJson;
import dev.sseproxy.kms.registry.KeyManagement;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.kms.registry.NewKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * The KMS operations sse-proxy serves, by {@code X-Amz-Target} name: each reads its request shape,
 * calls {@link KeyManagement} for the caller (an account root, or an IAM user with its identity
 * policies, acting in its account) and returns its response shape (null for
 * operations without output). Dispatch is this table.
 */
@ApplicationScoped
public class KmsOperations {
    /** One operation: the caller's account and the request body in, the response shape out. */
    @FunctionalInterface
    interface Operation {
        Uni<Object> run(KeyRequester requester, JsonNode body) throws JsonProcessingException;
    }

    private final KeyManagement keys;
    private final Map<String, Operation> table;

    public KmsOperations(KeyManagement keys) {
        this.keys = keys;
        this.table = Map.ofEntries(
                Map.entry("CreateKey", this::createKey), Map.entry("DescribeKey", this::describeKey),
                Map.entry("ListKeys", this::listKeys), Map.entry("EnableKey", this::enableKey),
                Map.entry("DisableKey", this::disableKey), Map.entry("ScheduleKeyDeletion", this::scheduleKeyDeletion),
                Map.entry("CancelKeyDeletion", this::cancelKeyDeletion), Map.entry("CreateAlias", this::createAlias),
                Map.entry("ListAliases", this::listAliases), Map.entry("DeleteAlias", this::deleteAlias),
                Map.entry("GetKeyPolicy", this::getKeyPolicy), Map.entry("PutKeyPolicy", this::putKeyPolicy));
    }

    /** The operation of this name, if served. */
    Optional<Operation> operation(String name) {
        return Optional.ofNullable(table.get(name));
    }

    private static <T> T read(JsonNode body, Class<T> shape) throws JsonProcessingException {
        return KmsJson.MAPPER.treeToValue(body, shape);
    }

    private static String required(String value, String member) {
        if (value == null) {
            throw KmsRequestException.missing(member);
        }
        return value;
    }

    private static Uni<Object> none(Uni<?> done) {
        return done.replaceWith((Object) null);
    }

    private Uni<Object> createKey(KeyRequester account, JsonNode body) throws JsonProcessingException {
        CreateKeyRequestJson r = read(body, CreateKeyRequestJson.class);
        NewKey spec = new NewKey(r.description(), r.policy(), r.keyUsage(), r.keySpec(), r.customerMasterKeySpec(),
                r.customKeyStoreId() != null ? "AWS_CLOUDHSM" : r.origin(), r.multiRegion(),
                r.tags() != null && !r.tags().isEmpty());
        return keys.createKey(account, spec).map(KeyMetadataResponseJson::of);
    }

    private Uni<Object> describeKey(KeyRequester account, JsonNode body) throws JsonProcessingException {
        String keyId = required(read(body, KeyIdRequestJson.class).keyId(), "keyId");
        return keys.describeKey(account, keyId).map(KeyMetadataResponseJson::of);
    }

    private Uni<Object> listKeys(KeyRequester account, JsonNode body) throws JsonProcessingException {
        ListKeysRequestJson r = read(body, ListKeysRequestJson.class);
        return keys.listKeys(account, r.limit(), r.marker()).map(page -> new ListKeysResponseJson(
                page.items().stream().map(k -> new KeyListEntryJson(k.keyId().toString(), k.arn())).toList(),
                page.nextMarker().orElse(null), page.truncated()));
    }

    private Uni<Object> enableKey(KeyRequester account, JsonNode body) throws JsonProcessingException {
        return none(keys.enableKey(account, required(read(body, KeyIdRequestJson.class).keyId(), "keyId")));
    }

    private Uni<Object> disableKey(KeyRequester account, JsonNode body) throws JsonProcessingException {
        return none(keys.disableKey(account, required(read(body, KeyIdRequestJson.class).keyId(), "keyId")));
    }

    private Uni<Object> scheduleKeyDeletion(KeyRequester account, JsonNode body) throws JsonProcessingException {
        ScheduleKeyDeletionRequestJson r = read(body, ScheduleKeyDeletionRequestJson.class);
        return keys.scheduleKeyDeletion(account, required(r.keyId(), "keyId"), r.pendingWindowInDays())
                .map(k -> new ScheduleKeyDeletionResponseJson(k.arn(), KmsJson.epochSeconds(k.deletionDate()),
                        k.state().awsName(), r.pendingWindowInDays() == null ? 30 : r.pendingWindowInDays()));
    }

    private Uni<Object> cancelKeyDeletion(KeyRequester account, JsonNode body) throws JsonProcessingException {
        return keys.cancelKeyDeletion(account, required(read(body, KeyIdRequestJson.class).keyId(), "keyId"))
                .map(k -> new CancelKeyDeletionResponseJson(k.arn()));
    }

    private Uni<Object> createAlias(KeyRequester account, JsonNode body) throws JsonProcessingException {
        CreateAliasRequestJson r = read(body, CreateAliasRequestJson.class);
        return none(keys.createAlias(account, required(r.aliasName(), "aliasName"),
                required(r.targetKeyId(), "targetKeyId")));
    }

    private Uni<Object> deleteAlias(KeyRequester account, JsonNode body) throws JsonProcessingException {
        return none(keys.deleteAlias(account, required(read(body, DeleteAliasRequestJson.class).aliasName(),
                "aliasName")));
    }

    private Uni<Object> listAliases(KeyRequester account, JsonNode body) throws JsonProcessingException {
        ListAliasesRequestJson r = read(body, ListAliasesRequestJson.class);
        return keys.listAliases(account, r.keyId(), r.limit(), r.marker()).map(page -> new ListAliasesResponseJson(
                page.items().stream().map(a -> AliasListEntryJson.of(a, keys.aliasArn(account.accountId(), a.aliasName())))
                        .toList(), page.nextMarker().orElse(null), page.truncated()));
    }

    private Uni<Object> getKeyPolicy(KeyRequester account, JsonNode body) throws JsonProcessingException {
        GetKeyPolicyRequestJson r = read(body, GetKeyPolicyRequestJson.class);
        return keys.getKeyPolicy(account, required(r.keyId(), "keyId"), r.policyName())
                .map(p -> new GetKeyPolicyResponseJson(p, "default"));
    }

    private Uni<Object> putKeyPolicy(KeyRequester account, JsonNode body) throws JsonProcessingException {
        PutKeyPolicyRequestJson r = read(body, PutKeyPolicyRequestJson.class);
        return none(keys.putKeyPolicy(account, required(r.keyId(), "keyId"), r.policyName(),
                required(r.policy(), "policy")));
    }
}
