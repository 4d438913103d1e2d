package dev.sseproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real NATS server for the event-notification tests on 127.0.0.1:{@link #PORT}: {@link #ensure()} runs
 * {@code scripts/nats.sh start} (builds {@code nats-server} once with {@code go install} if missing, starts it
 * unless it answers) once per test JVM.
 */
public final class LocalNats {
    public static final int PORT = 14222;
    public static final String URL = "nats://127.0.0.1:" + PORT;
    private static boolean ready;

    private LocalNats() {
    }

    public static synchronized void ensure() {
        if (ready) {
            return;
        }
        Path script = Path.of("scripts/nats.sh").toAbsolutePath();
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "start").redirectErrorStream(true);
            pb.environment().put("SSE_PROXY_NATS_PORT", Integer.toString(PORT));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/nats.sh start failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ready = true;
    }
}
