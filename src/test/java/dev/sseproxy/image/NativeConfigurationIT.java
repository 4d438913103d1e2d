package dev.sseproxy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native build's configuration, as the sources-only build generates it
 * ({@code target/native-build/target/native-sources}: native-image.args and the runner jar's
 * {@code META-INF/native-image/*.json}), covers every class the code serializes or reflects on,
 * every classpath resource it reads, and initializes at run time every class that would otherwise
 * freeze a random number generator into the image. The classes are found in the bytecode
 * ({@link SerializedTypes}), not in a list kept by hand.
 */
class NativeConfigurationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SerializedTypes scan;
    private static Map<String, JsonNode> reflection;
    private static List<String> args;

    @BeforeAll
    static void build() throws Exception {
        scan = SerializedTypes.scan(NativeSources.ROOT.resolve("target/classes"));
        args = NativeSources.args();
        reflection = new HashMap<>();
        for (JsonNode e : JSON.readTree(NativeSources.runnerEntry("META-INF/native-image/reflect-config.json"))) {
            reflection.merge(e.path("name").asText(), e, (a, b) -> ((com.fasterxml.jackson.databind.node.ObjectNode) a.deepCopy()).setAll(
                    (com.fasterxml.jackson.databind.node.ObjectNode) b));
        }
    }

    @Test
    void theScanFindsWhatItMust() {
        // guards the scanner itself: one class of each kind it has to find
        Set<String> required = scan.required();
        for (String c : List.of(
                "dev.sseproxy.api.kms.KmsJson$CreateKeyRequestJson", // class literal through a wrapper (treeToValue)
                "dev.sseproxy.api.kms.KmsJson$ListKeysResponseJson", // written as Object; nested shape of a codec
                "dev.sseproxy.api.kms.KmsJson$KeyListEntryJson", // record component List<KeyListEntryJson>
                "dev.sseproxy.api.xml.Documents$DeleteXml", // S3Xml.read(bytes, Documents.DeleteXml.class)
                "dev.sseproxy.backend.BackendXml$ListBucketResult", // MinioXml.read(...)
                "dev.sseproxy.catalog.BucketEntity", // @Entity
                "dev.sseproxy.catalog.KmsAliasEntity$Key")) { // @IdClass
            assertTrue(required.contains(c), c + " not found by the scan: " + required);
        }
        assertTrue(scan.staticRandomHolders().contains("dev.sseproxy.crypto.KeyWrap"), scan.staticRandomHolders().toString());
    }

    @Test
    void everySerializedClassIsRegisteredForReflectionWithItsMembers() {
        Set<String> missing = new TreeSet<>();
        Set<String> withoutMembers = new TreeSet<>();
        for (String c : scan.required()) {
            JsonNode e = reflection.get(c);
            if (e == null) {
                missing.add(c + " (" + scan.why(c) + ")");
            } else if (!(flag(e, "allDeclaredConstructors") && flag(e, "allDeclaredMethods")
                    && flag(e, "allDeclaredFields")) && !scan.entities.contains(c.replace('.', '/'))) {
                withoutMembers.add(c + " " + e);
            }
        }
        assertEquals(Set.of(), missing, "classes Jackson or Hibernate reflect on, missing from the generated"
                + " reflect-config.json: register them in dev.sseproxy.image.NativeImage");
        assertEquals(Set.of(), withoutMembers, "registered without constructors, methods and fields");
    }

    @Test
    void classesHoldingARandomNumberGeneratorAreInitializedAtRunTime() {
        Set<String> runTime = new TreeSet<>();
        for (String a : args) {
            if (a.startsWith("--initialize-at-run-time=")) {
                runTime.addAll(List.of(a.substring("--initialize-at-run-time=".length()).split(",")));
            }
        }
        Set<String> missing = new TreeSet<>(scan.staticRandomHolders());
        missing.removeAll(runTime);
        assertEquals(Set.of(), missing, "a SecureRandom in a static field would be seeded once, at image build"
                + " time, and frozen into the executable (GraalVM refuses it); initialize the class at run time"
                + " (quarkus.native.additional-build-args in application.properties). Given: " + runTime);
    }

    @Test
    void everyClasspathResourceTheApplicationShipsIsIncluded() throws Exception {
        JsonNode rc = JSON.readTree(NativeSources.runnerEntry("META-INF/native-image/resource-config.json"));
        List<Pattern> includes = new java.util.ArrayList<>();
        for (JsonNode i : rc.path("resources").path("includes")) {
            includes.add(Pattern.compile(i.path("pattern").asText()));
        }
        for (String a : args) {
            if (a.startsWith("-H:IncludeResources=")) {
                includes.add(Pattern.compile(a.substring("-H:IncludeResources=".length())));
            }
        }
        Path resources = NativeSources.ROOT.resolve("src/main/resources");
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> s = Files.walk(resources)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String name = resources.relativize(p).toString().replace('\\', '/');
                // application.properties is read at build time; the runtime values live in the generated config
                if (name.equals("application.properties")) {
                    continue;
                }
                // native-image's own configuration, read when the image is built, not by the application
                if (name.startsWith("META-INF/native-image/")) {
                    continue;
                }
                if (includes.stream().noneMatch(pt -> pt.matcher(name).matches())) {
                    missing.add(name);
                }
            }
        }
        assertEquals(Set.of(), missing, "resources not in the native image (quarkus.native.resources.includes)");
    }

    @Test
    void theExecutableIsNamedAsTheDockerfileExpects() throws Exception {
        int jar = args.indexOf("-jar");
        assertTrue(jar > 0, args.toString());
        String runnerJar = args.get(jar + 1);
        assertTrue(runnerJar.endsWith("-runner.jar"), runnerJar);
        // the output name is the last argument before -jar; the Dockerfile copies *-runner
        String output = args.get(jar - 1);
        assertTrue(output.endsWith("-runner") && !output.startsWith("-"), output);
        assertFalse(Files.readString(NativeSources.dir().resolve("graalvm.version")).isBlank());
    }

    @Test
    void theMinioClientsMessageClassesReachNativeImage() throws Exception {
        // native-image reads META-INF/native-image/**/reflect-config.json from the jars it is given:
        // ours must be in the runner jar (MinioClientReflectionTest checks its content against the client)
        String ours = NativeSources.runnerEntry("META-INF/native-image/dev.sseproxy/sse-proxy/reflect-config.json");
        assertTrue(ours.contains("\"io.minio.messages.ListBucketResultV2\"") && ours.contains("\"io.minio.messages.Item\""),
                "the MinIO client's message classes are not registered in the runner jar");
    }

    private static boolean flag(JsonNode e, String name) {
        return e.path(name).asBoolean(false);
    }
}
