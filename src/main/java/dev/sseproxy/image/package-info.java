/**
 * What the container images and the native executable need from the application, in one place.
 *
 * <h2>Images</h2>
 * {@code src/main/docker/Dockerfile.jvm} (Quarkus fast-jar: {@code target/quarkus-app/{lib,app,quarkus,
 * quarkus-run.jar}} in {@code /deployments}, UBI 9 OpenJDK 17 runtime) and
 * {@code src/main/docker/Dockerfile.native} (the executable at {@code /work/application}, UBI 9
 * minimal) build from the sources in stages: Maven on JDK 17 (the JDK the project compiles for),
 * then for the native image the Mandrel 25 builder running {@code native-image $(cat
 * native-image.args)} in {@code target/native-sources}, then a runtime stage with nothing else.
 * Both run as the numeric user 185 (the chart's {@code runAsUser}), bind S3 (8080, TLS 8443) and
 * management (9090) to {@code 0.0.0.0} through {@code SSE_PROXY_HOST} /
 * {@code SSE_PROXY_MANAGEMENT_HOST}, and write only {@code /tmp} and
 * {@code SSE_PROXY_DATA_DIR=/var/lib/sse-proxy}, so the root filesystem can be read-only. The JVM
 * image turns the JVM's perf-data file off ({@code -XX:-UsePerfData}). No Docker engine runs where
 * this project is developed: {@code DockerRecipeIT} checks that every path the recipes copy
 * exists after the build and that the runtime contract above holds.
 *
 * <h2>Native executable</h2>
 * Quarkus initializes every class at image build time unless told otherwise and registers for
 * reflection only what its extensions know about (Hibernate entities, configuration mappings, CDI
 * beans). The rest is declared here and in {@code application.properties}:
 * <ul>
 *   <li>{@link dev.sseproxy.image.NativeImage}: every class Jackson (JSON or XML) reads or writes by
 *       reflection: the KMS API's JSON shapes, the S3 and backend XML documents, the admin API's
 *       answers, and the StAX (Woodstox) factories the XML mappers are built on;</li>
 *   <li>{@code quarkus.native.additional-build-args}: the classes that keep a {@code SecureRandom}
 *       in a static field are initialized at run time, so each process seeds its own generator
 *       instead of one seeded once at build time and frozen into the executable;</li>
 *   <li>{@code quarkus.native.resources.includes}: the StAX service files (the Flyway migrations are
 *       included by the Flyway extension);</li>
 *   <li>{@code META-INF/native-image/dev.sseproxy/sse-proxy/reflect-config.json} (a resource, which
 *       native-image reads from the application jar): every class of the MinIO Java client's
 *       {@code io.minio.messages}, fields, constructors and methods, since the client reads MinIO's XML
 *       with SimpleXML by reflection. It is generated from the client jar:
 *       {@code unzip -Z1 minio-<version>.jar 'io/minio/messages/*.class'} to class names, one entry each;
 *       {@code MinioClientReflectionTest} fails when it and the jar on the class path differ. SimpleXML's
 *       own internals, OkHttp and Kotlin have not been run native (no GraalVM where this is built).</li>
 * </ul>
 * {@code NativeConfigurationIT} runs the sources-only build ({@code -Dquarkus.native.enabled=true
 * -Dquarkus.native.sources-only=true}, no GraalVM needed) as a nested Maven build in
 * {@code target/native-build} and checks the generated {@code native-image.args} and
 * {@code reflect-config.json} / {@code resource-config.json} against the classes it finds in the
 * bytecode: what flows into a Jackson read or write, what carries Jackson annotations, entities,
 * and static random generators. A class added without registration fails the build.
 *
 * <p>The executable itself is built where GraalVM or Mandrel 25 is installed:
 * {@code mvn package -DskipTests -Dquarkus.native.enabled=true} (or, from the sources-only output,
 * {@code cd target/native-sources && native-image $(cat native-image.args)}), or with a container
 * runtime: {@code docker build -f src/main/docker/Dockerfile.native .}.
 */
package dev.sseproxy.image;
