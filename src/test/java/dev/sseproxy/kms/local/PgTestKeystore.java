package dev.sseproxy.kms.local;

import dev.sseproxy.catalog.LocalKeystoreRows;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.mutiny.sqlclient.Pool;
import dev.sseproxy.testing.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * A real PostgreSQL keystore for unit tests: one database per test JVM ({@code sseproxy_ut_<pid>}, on the
 * project's PostgreSQL at 127.0.0.1:5432, dropped when the JVM exits) and one fresh schema per instance
 * holding the V13 tables, so each test starts from an empty keystore with no master key recorded.
 */
public final class PgTestKeystore implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Vertx vertx;
    private static String database;

    private final String schema = "ks_" + UUID.randomUUID().toString().replace("-", "");
    private final Pool pool;

    public PgTestKeystore() {
        String db = database();
        String v13;
        try {
            v13 = Files.readString(Path.of("src/main/resources/db/migration/V13__local_kms_keystore.sql"),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        admin(db, "CREATE SCHEMA " + schema + "; SET search_path TO " + schema + "; " + v13);
        this.pool = pool(db, schema);
    }

    private static synchronized String database() {
        if (database == null) {
            LocalPostgres.ensure();
            vertx = Vertx.vertx();
            String name = "sseproxy_ut_" + ProcessHandle.current().pid();
            admin("sseproxy", "DROP DATABASE IF EXISTS " + name);
            admin("sseproxy", "CREATE DATABASE " + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    admin("sseproxy", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }));
            database = name;
        }
        return database;
    }

    private static Pool pool(String db, String searchPath) {
        PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setDatabase(db)
                .setUser("sseproxy").setPassword("sseproxy");
        if (searchPath != null) {
            options.setProperties(Map.of("search_path", searchPath));
        }
        return Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(options)
                .using(vertx).build());
    }

    private static void admin(String db, String sql) {
        Pool admin = pool(db, null);
        try {
            admin.query(sql).execute().await().atMost(WAIT);
        } finally {
            admin.closeAndAwait();
        }
    }

    public Pool pool() {
        return pool;
    }

    /** The client a node starting with {@code masterKey} gets (master key check and file migration included). */
    public LocalKmsClient start(byte[] masterKey, Path keystoreFile, Executor workers, Clock clock) {
        return LocalKmsStartup.open(new LocalKeystoreRows(pool), masterKey, "the test's master key", false, keystoreFile,
                workers, clock);
    }

    /** As {@link #start} with no keystore file. */
    public LocalKmsClient start(byte[] masterKey, Executor workers, Clock clock) {
        return start(masterKey, Path.of("/nonexistent/sse-proxy-test/kms/keystore"), workers, clock);
    }

    /** Runs SQL on this keystore's schema. */
    public void sql(String statement) {
        pool.query(statement).execute().await().atMost(WAIT);
    }

    @Override
    public void close() {
        pool.close().await().atMost(WAIT);
        admin(database, "DROP SCHEMA " + schema + " CASCADE");
    }
}
