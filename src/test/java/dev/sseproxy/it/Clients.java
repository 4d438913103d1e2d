package dev.sseproxy.it;

import io.minio.MinioClient;
import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Real S3 clients pointed at the proxy (or, for checks at rest, at MinIO directly). */
public final class Clients {
    private Clients() {
    }

    public static S3Client sdk(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static S3Client sdk() {
        ProxyProcess p = ProxyProcess.get();
        return sdk(p.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
    }

    /** The SDK over the proxy's TLS port, trusting its self-signed certificate (default SDK settings). */
    public static S3Client tlsSdk() {
        ProxyProcess p = ProxyProcess.get();
        return S3Client.builder().endpointOverride(p.tlsEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trustManagers(p.certificate()))
                        .build()).build();
    }

    static javax.net.ssl.TrustManager[] trustManagers(java.nio.file.Path pem) {
        try (var in = java.nio.file.Files.newInputStream(pem)) {
            var ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("sse-proxy", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
            var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static S3AsyncClient asyncSdk() {
        ProxyProcess p = ProxyProcess.get();
        return S3AsyncClient.builder().endpointOverride(p.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .forcePathStyle(true).httpClient(NettyNioAsyncHttpClient.create()).build();
    }

    public static S3Presigner presigner() {
        ProxyProcess p = ProxyProcess.get();
        return S3Presigner.builder().endpointOverride(p.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    /** The MinIO Java client against the proxy, as the root account. */
    public static MinioClient minioViaProxy() {
        ProxyProcess p = ProxyProcess.get();
        return MinioClient.builder().endpoint(p.endpoint().toString())
                .credentials(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY).region("us-east-1").build();
    }

    private static MinioClient backend;

    /**
     * The MinIO Java client straight at the backend: what is really stored. One client for the whole
     * test JVM (it is thread-safe; building one cost about 1.4 s on a loaded machine).
     */
    public static synchronized MinioClient backend() {
        if (backend == null) {
            ProxyProcess p = ProxyProcess.get();
            backend = MinioClient.builder().endpoint(p.minioEndpoint().toString())
                    .credentials(ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD).region("us-east-1").build();
        }
        return backend;
    }

    /** A fresh, valid bucket name. */
    /** Creates a bucket named after {@code prefix} (see {@link #bucketName}) and returns its name. */
    public static String newBucket(S3Client s3, String prefix) {
        String b = bucketName(prefix);
        s3.createBucket(x -> x.bucket(b));
        return b;
    }

    /** A new bucket that accepts SSE-C writes: a rule with BlockedEncryptionTypes NONE (the default era blocks them). */
    public static String sseCBucket(S3Client s3, String prefix) {
        String b = newBucket(s3, prefix);
        s3.putBucketEncryption(x -> x.bucket(b).serverSideEncryptionConfiguration(c -> c.rules(
                software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule.builder()
                        .blockedEncryptionTypes(t -> t.encryptionType(
                                software.amazon.awssdk.services.s3.model.EncryptionType.NONE)).build())));
        return b;
    }

    public static String bucketName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }
}
