package dev.sseproxy.api.aws.query;

/** The query-protocol services on the S3 port: SigV4 service name, API version and XML namespace. */
public enum QueryService {
    IAM("iam", "2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/"),
    STS("sts", "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/");

    private final String signingName;
    private final String version;
    private final String namespace;

    QueryService(String signingName, String version, String namespace) {
        this.signingName = signingName;
        this.version = version;
        this.namespace = namespace;
    }

    /** The credential scope's service ({@code iam}, {@code sts}). */
    public String signingName() {
        return signingName;
    }

    /** The {@code Version} parameter this service answers. */
    public String version() {
        return version;
    }

    /** The default namespace of its XML answers. */
    public String namespace() {
        return namespace;
    }
}
