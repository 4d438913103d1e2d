package dev.sseproxy.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The native sources-only build ({@code -Dquarkus.native.enabled=true
 * -Dquarkus.native.sources-only=true}), run once per test JVM as a nested Maven build of a copy
 * of {@code pom.xml} and {@code src/main} in {@code target/native-build/} — the same inputs and
 * command as the first stage of {@code src/main/docker/Dockerfile.native} — so the JVM build in
 * {@code target/quarkus-app} that the other ITs run is left alone. Its log is
 * {@code target/native-build.log}.
 */
final class NativeSources {
    static final Path ROOT = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
    static final Path BUILD = ROOT.resolve("target/native-build");
    private static Path built;
    private static long seconds;

    private NativeSources() {
    }

    /** {@code target/native-build/target/native-sources}, built on first use. */
    static synchronized Path dir() throws IOException, InterruptedException {
        if (built != null) {
            return built;
        }
        String prebuilt = System.getProperty("native.sources.dir");
        if (prebuilt != null && !prebuilt.isBlank()) {
            built = Path.of(prebuilt);
            return built;
        }
        deleteTree(BUILD);
        Files.createDirectories(BUILD);
        Files.copy(ROOT.resolve("pom.xml"), BUILD.resolve("pom.xml"));
        dev.sseproxy.it.FileTrees.copyTree(ROOT.resolve("src/main"), BUILD.resolve("src/main"));
        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome == null || mavenHome.isBlank() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-ntp", "package", "-DskipTests",
                "-Dquarkus.native.enabled=true", "-Dquarkus.native.sources-only=true"));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        Path log = ROOT.resolve("target/native-build.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(BUILD.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("native sources-only build did not finish in 15 minutes; see " + log);
        }
        seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("native sources-only build failed (exit " + p.exitValue() + "); see " + log);
        }
        System.out.printf("native sources-only build: %d s (%s)%n", seconds, log);
        built = BUILD.resolve("target/native-sources");
        return built;
    }

    /** The Maven project the native sources were built from (its target/native-sources is {@link #dir()}). */
    static Path project() throws IOException, InterruptedException {
        return dir().getParent().getParent();
    }

    /** native-image.args, one argument per element. */
    static List<String> args() throws IOException, InterruptedException {
        String text = Files.readString(dir().resolve("native-image.args"), StandardCharsets.UTF_8).trim();
        // arguments are separated by spaces; a space inside an argument is escaped with a backslash
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' && i + 1 < text.length() && text.charAt(i + 1) == ' ') {
                cur.append(' ');
                i++;
            } else if (Character.isWhitespace(ch)) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(ch);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** The runner jar native-image reads ({@code -jar <name>}). */
    static Path runnerJar() throws IOException, InterruptedException {
        List<String> a = args();
        int i = a.indexOf("-jar");
        if (i < 0 || i + 1 >= a.size()) {
            throw new IllegalStateException("no -jar in native-image.args: " + a);
        }
        return dir().resolve(a.get(i + 1));
    }

    /** A file of the runner jar, e.g. META-INF/native-image/reflect-config.json. */
    static String runnerEntry(String name) throws IOException, InterruptedException {
        try (JarFile jar = new JarFile(runnerJar().toFile())) {
            var e = jar.getJarEntry(name);
            if (e == null) {
                throw new IllegalStateException(name + " not in " + runnerJar());
            }
            try (InputStream in = jar.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
