package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.InventoryXml;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.inventory.InventoryConfigurations;
import dev.sseproxy.inventory.InventoryConfigurations.PutResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Put / Get / List / DeleteBucketInventoryConfiguration ({@code ?inventory&id=...}; {@code GET ?inventory}
 * without an id lists, 100 a page, by id, with {@code continuation-token}). At most 1,000 configurations a
 * bucket (400 TooManyConfigurations for the next new id); an unknown id is 404 NoSuchConfiguration on GET
 * and DELETE. The document is checked by {@link InventoryConfigurationCodec}; reports are produced by
 * {@code dev.sseproxy.inventory} (package documentation).
 */
@ApplicationScoped
class InventoryConfigurationOperation implements RoutedOperation {
    static final int PAGE = 100;
    static final String BAD_TOKEN = "The continuation token provided is incorrect";
    private final InventoryConfigurations store;

    InventoryConfigurationOperation(InventoryConfigurations store) {
        this.store = store;
    }

    public String name() {
        return "BucketInventoryConfiguration";
    }

    @Override
    public String name(String method) {
        return switch (method) {
            case "GET" -> "GetBucketInventoryConfiguration";
            case "PUT" -> "PutBucketInventoryConfiguration";
            default -> "DeleteBucketInventoryConfiguration";
        };
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "inventory"), new Route(Scope.BUCKET, "PUT", "inventory"),
                new Route(Scope.BUCKET, "DELETE", "inventory"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        String bucket = ex.bucketRecord().name();
        String id = ex.queryParam("id");
        if ("GET".equals(ex.method()) && id == null) {
            ex.operation("ListBucketInventoryConfigurations");
            return list(ex, bucket);
        }
        if (id == null || id.isEmpty()) {
            throw S3Exception.invalidArgument("Missing required parameter: id", "id", null);
        }
        return switch (ex.method()) {
            case "GET" -> store.find(bucket, id).chain(e -> Responses.xml(ex, 200, InventoryConfigurationCodec.document(
                    e.orElseThrow(() -> S3Exception.of(S3ErrorCode.NO_SUCH_CONFIGURATION)).config())));
            case "PUT" -> SmallBody.read(ex).chain(body -> store.put(bucket, InventoryConfigurationCodec.parse(body, id)))
                    .chain(r -> {
                        if (r == PutResult.TOO_MANY) {
                            throw S3Exception.of(S3ErrorCode.TOO_MANY_CONFIGURATIONS);
                        }
                        return Responses.empty(ex, 200);
                    });
            default -> store.delete(bucket, id).chain(deleted -> {
                if (!deleted) {
                    throw S3Exception.of(S3ErrorCode.NO_SUCH_CONFIGURATION);
                }
                return Responses.empty(ex, 204);
            });
        };
    }

    private Uni<Void> list(S3Exchange ex, String bucket) {
        String token = ex.queryParam("continuation-token");
        String after = token == null ? null : decode(token);
        return store.list(bucket, after, PAGE + 1).chain(entries -> {
            InventoryXml.ListResultXml x = new InventoryXml.ListResultXml();
            x.continuationToken = token;
            boolean truncated = entries.size() > PAGE;
            List<InventoryConfigurations.Entry> page = truncated ? entries.subList(0, PAGE) : entries;
            page.forEach(e -> x.configurations.add(InventoryConfigurationCodec.listed(e.config())));
            x.isTruncated = truncated;
            if (truncated) {
                x.nextContinuationToken = encode(page.get(page.size() - 1).config().id());
            }
            return Responses.xml(ex, 200, x);
        });
    }

    static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    /** The id a token continues after; a token this endpoint did not make is InvalidArgument. */
    static String decode(String token) {
        try {
            String id = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (dev.sseproxy.inventory.InventoryConfiguration.validId(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw S3Exception.invalidArgument(BAD_TOKEN, "continuation-token", token);
    }
}
