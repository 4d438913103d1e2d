package dev.sseproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The project's PostgreSQL for unit tests: {@link #ensure()} runs {@code scripts/postgres.sh ensure} (install if
 * missing, start the cluster, create the {@code sseproxy} role and database) once per test JVM, so a unit test
 * that talks to 127.0.0.1:5432 passes on a fresh machine whatever order surefire runs the classes in.
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

    /** Runs one of the project's scripts with {@code bash}; fails with its output when it does not exit 0. */
    static void runScript(String script, String command) {
        Path path = Path.of(script).toAbsolutePath();
        try {
            Process p = new ProcessBuilder("bash", path.toString(), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(script + " " + command + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
