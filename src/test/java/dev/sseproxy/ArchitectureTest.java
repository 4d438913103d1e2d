package dev.sseproxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package boundaries of DESIGN.md, enforced. */
class ArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sseproxy");

    @Test
    void cryptoImportsOnlyTheJdk() {
        classes().that().resideInAPackage("dev.sseproxy.crypto..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax..", "dev.sseproxy.crypto..").check(MAIN);
    }

    @Test
    void authzIsPureJdkAndJacksonsStreamingParser() {
        classes().that().resideInAPackage("dev.sseproxy.authz..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "com.fasterxml.jackson.core..", "dev.sseproxy.authz..").check(MAIN);
    }

    @Test
    void authImportsNoFrameworks() {
        noClasses().that().resideInAPackage("dev.sseproxy.auth..").should().dependOnClassesThat()
                .resideInAnyPackage("io.vertx..", "io.quarkus..", "jakarta.ws.rs..", "dev.sseproxy.api..").check(MAIN);
    }

    @Test
    void onlyApiUsesVertxWebOrJaxRs() {
        noClasses().that().resideOutsideOfPackage("dev.sseproxy.api..").should().dependOnClassesThat()
                .resideInAnyPackage("io.vertx.ext.web..", "jakarta.ws.rs..").check(MAIN);
    }

    @Test
    void theCachesTheChangeFeedKeepsInLineDoNotKnowIt() {
        // the feed points inward (cluster -> caches); other cluster plumbing may be used from anywhere
        noClasses().that().resideInAnyPackage("dev.sseproxy.catalog..", "dev.sseproxy.sse..", "dev.sseproxy.kms..",
                "dev.sseproxy.bucketkey..", "dev.sseproxy.crypto..", "dev.sseproxy.auth..", "dev.sseproxy.authz..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.sseproxy.cluster.ChangeFeed")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sseproxy.wiring.CacheInvalidation")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sseproxy.cluster.Caches")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sseproxy.cluster.ChangeListener")
                .check(MAIN);
    }

    /**
     * SQL lives in {@code catalog} (issue #14: every statement behind a repository), without exception:
     * a package below the catalog names a port it implements ({@code cluster.LeaseStorage},
     * {@code kms.local.KeystoreStorage}, ...). The change feed's {@code LISTEN} connection
     * ({@code cluster.ChangeListener}) uses the PostgreSQL client's subscriber, not the SQL client.
     */
    @Test
    void onlyTheCatalogTalksSql() {
        noClasses().that().resideOutsideOfPackage("dev.sseproxy.catalog..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..")
                .check(MAIN);
    }

    @Test
    void nothingImportsApi() {
        noClasses().that().resideOutsideOfPackage("dev.sseproxy.api..").should().dependOnClassesThat()
                .resideInAPackage("dev.sseproxy.api..").check(MAIN);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        // each top-level package under dev.sseproxy is one slice (api.xml belongs to api, kms.registry to kms, ...)
        slices().matching("dev.sseproxy.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
