package dev.sseproxy.testing;

/**
 * The project's MinIO for tests that talk to 127.0.0.1:9000 without starting a proxy
 * ({@code ProxyProcess} starts it itself): {@link #ensure()} runs {@code minio-dev/minio.sh start}
 * (build once if missing, start it unless it answers) once per test JVM, so such a test passes on a
 * fresh machine whatever order failsafe runs the classes in.
 */
public final class LocalMinio {
    private static boolean ready;

    private LocalMinio() {
    }

    public static synchronized void ensure() {
        if (!ready) {
            LocalPostgres.runScript("minio-dev/minio.sh", "start");
            ready = true;
        }
    }
}
