package dev.sseproxy.testing;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's PostgreSQL for unit tests: {@link #ensure()} runs {@code scripts/postgres.sh ensure} (install if
 * missing, start the cluster, create the {@code sseproxy} role and database) once per test JVM, so a unit test
 * that talks to 127.0.0.1:5432 passes on a fresh machine whatever order surefire runs the classes in. A test
 * of one repository's SQL takes a database of its own: {@link #recreate}, {@link #pool}, {@link #migrate}.
 */
public final class LocalPostgres {
    private static boolean ready;

    private LocalPostgres() {
    }

    public static synchronized void ensure() {
        if (!ready) {
            runScript("scripts/postgres.sh", "ensure");
            ready = true;
        }
    }

    /** Drops {@code database} if it exists and creates it empty ({@code scripts/postgres.sh recreatedb}). */
    public static void recreate(String database) {
        runScript("scripts/postgres.sh", "recreatedb", database);
    }

    /** A pool of at most {@code maxSize} connections to {@code database} on 127.0.0.1:{@code port}, as {@code sseproxy}. */
    public static Pool pool(Vertx vertx, String database, int port, int maxSize) {
        return PgPool.pool(vertx, new PgConnectOptions().setHost("127.0.0.1").setPort(port).setDatabase(database)
                .setUser("sseproxy").setPassword("sseproxy").setConnectTimeout(2000), new PoolOptions().setMaxSize(maxSize));
    }

    /** Runs these Flyway migrations (file names under {@code src/main/resources/db/migration}), in order. */
    public static void migrate(Pool pool, String... migrations) {
        for (String m : migrations) {
            try {
                pool.query(Files.readString(Path.of("src/main/resources/db/migration", m))).execute().await()
                        .atMost(Duration.ofSeconds(30));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs one of the project's scripts with {@code bash}; fails with its output when it does not exit 0. */
    static void runScript(String script, String... args) {
        Path path = Path.of(script).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("bash", path.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(script + " " + String.join(" ", args) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
