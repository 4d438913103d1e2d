package dev.sseproxy.image;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection registrations of the native executable: the classes Jackson reads and writes by
 * reflection that no Quarkus extension knows about (the routes are plain Vert.x, so Quarkus REST's
 * automatic registration of request and response types does not apply). Names rather than class
 * literals: most of these are package-private, and nothing may import {@code api}.
 *
 * <p>Nested types are registered too ({@code ignoreNested = false}): the three codecs hold their
 * documents as nested records, so a document added to one of them is registered without an edit
 * here. {@code NativeConfigurationIT}
 * fails the build when a class the bytecode serializes is missing from the generated
 * configuration; its message names the class and why it is needed.
 */
@RegisterForReflection(ignoreNested = false, classNames = {
    // KMS API (JSON 1.1): request and response shapes
    "dev.sseproxy.api.kms.KmsJson",
    // S3 wire XML documents, read from clients and written to them
    "dev.sseproxy.api.xml.Documents",
    "dev.sseproxy.api.xml.MultipartDocuments",
    "dev.sseproxy.api.xml.SubresourceDocuments",
    "dev.sseproxy.api.xml.InventoryXml",
    "dev.sseproxy.api.xml.ObjectLockDocuments",
    "dev.sseproxy.api.xml.NotificationXml",
    "dev.sseproxy.api.xml.ReplicationXml",
    // event notification configurations (stored in PostgreSQL as JSON)
    "dev.sseproxy.notify.NotificationConfiguration",
    // bucket replication configurations (stored on the bucket row as JSON)
    "dev.sseproxy.catalog.BucketReplication",
    // S3 Inventory's manifest.json (written as JSON)
    "dev.sseproxy.inventory.InventoryManifest",
    // MinIO's XML answers and the documents sent to it
    "dev.sseproxy.backend.BackendXml",
    // admin API answers (AdminRoutes writes them as JSON)
    "dev.sseproxy.catalog.Account",
    "dev.sseproxy.sse.RewrapJobs$Job",
    // StAX implementations the XML mappers are built on (found by ServiceLoader at build time;
    // registered so a run-time lookup finds them too)
    "com.ctc.wstx.stax.WstxInputFactory",
    "com.ctc.wstx.stax.WstxOutputFactory",
    "com.ctc.wstx.stax.WstxEventFactory",
})
public final class NativeImage {
    private NativeImage() {
    }
}
