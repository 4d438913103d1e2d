package dev.sseproxy.wiring;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sseproxy.config.SseProxyConfig.TlsEngineChoice;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import org.junit.jupiter.api.Test;

class TlsEngineTest {

    @Test
    void theBundledBoringSslLoadsOnLinuxX8664() {
        assumeTrue("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch")),
                "netty-tcnative is bundled for Linux x86-64 only");
        assertTrue(OpenSSLEngineOptions.isAvailable(), () -> "BoringSSL did not load: " + OpenSsl.unavailabilityCause());
    }

    @Test
    void opensslIsBoringSslWhenItLoadsElseTheJdks() {
        assertInstanceOf(OpenSSLEngineOptions.class, TlsEngine.engine(TlsEngineChoice.OPENSSL, true));
        assertInstanceOf(JdkSSLEngineOptions.class, TlsEngine.engine(TlsEngineChoice.OPENSSL, false));
    }

    @Test
    void jdkIsTheJdksEvenWhereBoringSslLoads() {
        assertInstanceOf(JdkSSLEngineOptions.class, TlsEngine.engine(TlsEngineChoice.JDK, true));
    }
}
