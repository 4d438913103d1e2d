package dev.sseproxy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.messages.Item;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The MinIO Java client reads MinIO's XML answers with SimpleXML, by reflection on the classes of
 * {@code io.minio.messages}; the native executable has them only if they are registered. Our
 * {@code META-INF/native-image/dev.sseproxy/sse-proxy/reflect-config.json} (read by native-image from
 * the application jar) must name every class of that package in the client jar on the class path, so
 * a client upgrade that adds a message class fails here instead of at run time in a native image.
 */
class MinioClientReflectionTest {
    private static final String RESOURCE = "META-INF/native-image/dev.sseproxy/sse-proxy/reflect-config.json";

    @Test
    void everyMinioMessageClassIsRegisteredWithItsFieldsAndConstructors() throws Exception {
        Set<String> inJar = new TreeSet<>();
        Path jar = Path.of(Item.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile f = new JarFile(jar.toFile())) {
            f.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("io/minio/messages/") && n.endsWith(".class") && !n.endsWith("package-info.class"))
                    .forEach(n -> inJar.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
        }
        assertTrue(inJar.size() > 50, "the scan of " + jar + " found only " + inJar);
        Set<String> registered = new TreeSet<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            assertTrue(in != null, RESOURCE + " is not on the class path");
            for (JsonNode e : new ObjectMapper().readTree(in)) {
                String name = e.path("name").asText();
                if (name.startsWith("io.minio.messages.")) {
                    assertTrue(e.path("allDeclaredFields").asBoolean() && e.path("allDeclaredConstructors").asBoolean(),
                            name + " needs its fields and constructors registered (SimpleXML sets fields and calls constructors)");
                    registered.add(name);
                }
            }
        }
        Set<String> missing = new TreeSet<>(inJar);
        missing.removeAll(registered);
        Set<String> stale = new TreeSet<>(registered);
        stale.removeAll(inJar);
        assertEquals(Set.of(), missing, "io.minio.messages classes missing from " + RESOURCE
                + " (regenerate it from the client jar: see dev.sseproxy.image's package documentation)");
        assertEquals(Set.of(), stale, "classes in " + RESOURCE + " that the client jar no longer has");
    }
}
