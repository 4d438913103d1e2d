package dev.sseproxy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine exists here, so the image recipes are kept honest by reading them: every
 * COPY/ADD source of {@code src/main/docker/Dockerfile.jvm} and {@code Dockerfile.native} exists
 * where the recipe expects it, and none is dropped by {@code .dockerignore}. A source copied from
 * the build context must exist in the project; a source copied from a build stage (whose Maven
 * project sits at the stage's {@code /build}) must exist after that stage's build: after
 * {@code mvn package} here for the JVM image, after the native sources-only build
 * ({@link NativeSources}) for the native one; the executable that only native-image makes must
 * match the output name native-image.args gives. The runtime stage's contract (user 185, ports,
 * listen addresses, data dir) is checked too: the Helm chart relies on it.
 */
class DockerRecipeIT {
    private static final Path ROOT = NativeSources.ROOT;

    record Instruction(String stage, String keyword, List<String> flags, List<String> args) {
    }

    @Test
    void jvmImageCopiesWhatMavenPackageBuilds() throws Exception {
        List<Instruction> recipe = parse(ROOT.resolve("src/main/docker/Dockerfile.jvm"));
        checkCopies(recipe, ROOT, null);
        checkRuntimeContract(recipe);
        assertTrue(copies(recipe).stream().anyMatch(i -> i.args().get(0).endsWith("target/quarkus-app/quarkus-run.jar")),
                "the fast-jar launcher is copied");
    }

    @Test
    void nativeImageCopiesWhatTheNativeBuildMakes() throws Exception {
        List<Instruction> recipe = parse(ROOT.resolve("src/main/docker/Dockerfile.native"));
        List<String> args = NativeSources.args();
        String executable = args.get(args.indexOf("-jar") - 1);
        checkCopies(recipe, NativeSources.project(), executable);
        checkRuntimeContract(recipe);
        Instruction last = copies(recipe).get(copies(recipe).size() - 1);
        assertEquals("/work/application", last.args().get(last.args().size() - 1));
    }

    @Test
    void dockerignoreKeepsOnlyPathsThatExist() throws IOException {
        for (String line : Files.readAllLines(ROOT.resolve(".dockerignore"))) {
            String l = line.trim();
            if (l.startsWith("!")) {
                assertTrue(Files.exists(ROOT.resolve(l.substring(1))), ".dockerignore keeps a missing path: " + l);
            }
        }
    }

    private static void checkCopies(List<Instruction> recipe, Path mavenProject, String nativeExecutable)
            throws IOException {
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore"));
        for (Instruction i : copies(recipe)) {
            String from = i.flags().stream().filter(f -> f.startsWith("--from=")).map(f -> f.substring(7))
                    .findFirst().orElse(null);
            for (String src : i.args().subList(0, i.args().size() - 1)) {
                if (from == null) {
                    assertTrue(!ignored(ignore, src), src + " is excluded by .dockerignore");
                    assertTrue(Files.exists(ROOT.resolve(src)), "build context has no " + src);
                    continue;
                }
                assertTrue(src.startsWith("/build/"), "stage sources live under the stage's /build: " + src);
                String rel = src.substring("/build/".length());
                List<Path> found = glob(mavenProject, rel);
                if (found.isEmpty() && nativeExecutable != null && rel.startsWith("target/native-sources/")) {
                    String name = rel.substring("target/native-sources/".length());
                    assertTrue(recipe.stream().anyMatch(r -> r.stage().equals(from) && r.keyword().equals("RUN")
                            && String.join(" ", r.args()).contains("native-image $(cat native-image.args)")),
                            "stage " + from + " does not run native-image");
                    assertTrue(globMatches(name, nativeExecutable), name + " does not match the executable "
                            + nativeExecutable + " that native-image.args names");
                    continue;
                }
                assertTrue(!found.isEmpty(), src + " (COPY --from=" + from + ") does not exist after the build: "
                        + mavenProject.resolve(rel));
            }
        }
    }

    private static void checkRuntimeContract(List<Instruction> recipe) {
        String runtime = recipe.get(recipe.size() - 1).stage();
        List<Instruction> last = recipe.stream().filter(i -> i.stage().equals(runtime)).toList();
        List<Instruction> users = last.stream().filter(i -> i.keyword().equals("USER")).toList();
        assertEquals("185", users.get(users.size() - 1).args().get(0), "runs as user 185 (the chart's runAsUser)");
        List<String> exposed = last.stream().filter(i -> i.keyword().equals("EXPOSE"))
                .flatMap(i -> i.args().stream()).toList();
        assertEquals(List.of("8080", "8443", "9090"), exposed);
        Map<String, String> env = new LinkedHashMap<>();
        last.stream().filter(i -> i.keyword().equals("ENV")).flatMap(i -> i.args().stream()).forEach(a -> {
            int eq = a.indexOf('=');
            if (eq > 0) {
                env.put(a.substring(0, eq), a.substring(eq + 1).replace("\"", ""));
            }
        });
        assertEquals("0.0.0.0", env.get("SSE_PROXY_HOST"));
        assertEquals("0.0.0.0", env.get("SSE_PROXY_MANAGEMENT_HOST"));
        assertEquals("/var/lib/sse-proxy", env.get("SSE_PROXY_DATA_DIR"));
        assertTrue(last.stream().anyMatch(i -> i.keyword().equals("RUN") && String.join(" ", i.args())
                .contains("chown 185") && String.join(" ", i.args()).contains("/var/lib/sse-proxy")),
                "the data dir belongs to user 185");
    }

    private static List<Instruction> copies(List<Instruction> recipe) {
        return recipe.stream().filter(i -> i.keyword().equals("COPY") || i.keyword().equals("ADD")).toList();
    }

    /** Dockerfile instructions: continuation lines joined, comments dropped, flags split off. */
    static List<Instruction> parse(Path dockerfile) throws IOException {
        List<String> logical = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && cur.length() == 0)) {
                continue;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
            } else {
                cur.append(t);
                logical.add(cur.toString());
                cur.setLength(0);
            }
        }
        List<Instruction> out = new ArrayList<>();
        String stage = "0";
        int stages = 0;
        for (String l : logical) {
            String[] words = l.trim().split("\\s+");
            String kw = words[0].toUpperCase(java.util.Locale.ROOT);
            List<String> flags = new ArrayList<>();
            List<String> args = new ArrayList<>();
            for (int k = 1; k < words.length; k++) {
                if (args.isEmpty() && words[k].startsWith("--")) {
                    flags.add(words[k]);
                } else {
                    args.add(words[k]);
                }
            }
            if (kw.equals("FROM")) {
                stage = args.size() >= 3 && args.get(1).equalsIgnoreCase("AS") ? args.get(2) : Integer.toString(stages);
                stages++;
            }
            if ((kw.equals("COPY") || kw.equals("ADD")) && !args.isEmpty() && args.get(0).startsWith("[")) {
                fail("JSON-form COPY is not parsed here: " + l);
            }
            out.add(new Instruction(stage, kw, flags, args));
        }
        return out;
    }

    private static boolean ignored(List<String> rules, String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        boolean ignored = false;
        for (String r : rules) {
            String rule = r.trim();
            if (rule.isEmpty() || rule.startsWith("#")) {
                continue;
            }
            boolean keep = rule.startsWith("!");
            String pat = keep ? rule.substring(1) : rule;
            pat = pat.endsWith("/") ? pat.substring(0, pat.length() - 1) : pat;
            if (pat.equals("*") || p.equals(pat) || p.startsWith(pat + "/")) {
                ignored = !keep;
            }
        }
        return ignored;
    }

    private static List<Path> glob(Path base, String rel) throws IOException {
        String name = rel.endsWith("/") ? rel.substring(0, rel.length() - 1) : rel;
        int slash = name.lastIndexOf('/');
        Path dir = slash < 0 ? base : base.resolve(name.substring(0, slash));
        String last = name.substring(slash + 1);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, last)) {
            ds.forEach(out::add);
        }
        return out;
    }

    private static boolean globMatches(String glob, String name) {
        return java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(name));
    }
}
