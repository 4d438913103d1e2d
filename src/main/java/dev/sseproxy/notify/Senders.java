package dev.sseproxy.notify;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sends one message to one target: a webhook gets an HTTP POST of the JSON ({@code Content-Type:
 * application/json}; any 2xx is delivered, anything else, a timeout or a refused connection is a failure
 * to retry); a NATS subject gets a core-NATS publish followed by a flush, so a message counts as delivered
 * only once the server has it. The NATS connection is opened on first use and kept (jnats reconnects it).
 */
@ApplicationScoped
public class Senders {
    private static final Logger LOG = Logger.getLogger(Senders.class);
    private final HttpClient http;
    private final Duration timeout;
    private final Optional<String> natsUrl;
    private final Optional<String> natsCredentials;
    private volatile Connection nats;

    public Senders(NotificationsConfig config) {
        this.timeout = config.deliveryTimeout();
        this.natsUrl = config.natsUrl();
        this.natsCredentials = config.natsCredentialsFile();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Delivers one message; fails with the reason when it was not delivered. */
    public Uni<Void> send(Targets.Target target, String payload) {
        return target.nats() ? publish(target.natsSubject(), payload) : post(target, payload);
    }

    private Uni<Void> post(Targets.Target target, String payload) {
        HttpRequest req = HttpRequest.newBuilder(target.webhook()).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", "sse-proxy-notifications")
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(req, HttpResponse.BodyHandlers.discarding()))
                .invoke(r -> {
                    if (r.statusCode() / 100 != 2) {
                        throw new IllegalStateException("webhook " + target.name() + " answered " + r.statusCode());
                    }
                }).replaceWithVoid();
    }

    private Uni<Void> publish(String subject, String payload) {
        return Uni.createFrom().item(() -> {
            try {
                Connection c = connection();
                c.publish(subject, payload.getBytes(StandardCharsets.UTF_8));
                c.flush(timeout);
                return null;
            } catch (IOException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("NATS: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("NATS: interrupted", e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    private synchronized Connection connection() throws IOException, InterruptedException {
        Connection c = nats;
        if (c != null && c.getStatus() != Connection.Status.CLOSED) {
            return c;
        }
        Options.Builder o = new Options.Builder().server(natsUrl.orElseThrow(
                () -> new IllegalStateException("a nats: target needs sse-proxy.notifications.nats-url")))
                .connectionName("sse-proxy-notifications").connectionTimeout(timeout).maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1)).errorListener(new io.nats.client.ErrorListener() { });
        natsCredentials.ifPresent(f -> o.authHandler(Nats.credentials(f)));
        c = Nats.connect(o.build());
        nats = c;
        LOG.infof("notifications: connected to NATS at %s", natsUrl.get());
        return c;
    }

    void stop(@Observes ShutdownEvent ev) {
        Connection c = nats;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
