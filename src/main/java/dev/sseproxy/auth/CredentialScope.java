package dev.sseproxy.auth;

/**
 * The parsed {@code Credential} value {@code AKID/yyyymmdd/region/service/aws4_request}.
 *
 * @param accessKeyId access key id, never empty
 * @param date        scope date, eight digits
 * @param region      region, e.g. {@code us-east-1}
 * @param service     service, e.g. {@code s3}
 */
public record CredentialScope(String accessKeyId, String date, String region, String service) {

    private static final String EXPECTING =
            "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";

    /**
     * Parses a credential. Messages are prefixed with {@code messagePrefix}, which differs between
     * header authentication ({@code "The authorization header is malformed; "}) and presigned URLs
     * ({@code "Error parsing the X-Amz-Credential parameter; "}).
     *
     * @throws AuthException of {@code kind} when the credential is malformed
     */
    public static CredentialScope parse(String credential, AuthException.Kind kind, String messagePrefix) {
        String[] parts = credential.split("/", -1);
        if (parts.length == 5 && parts[0].isEmpty()) {
            throw new AuthException(kind,
                    messagePrefix + "a non-empty Access Key (AKID) must be provided in the credential.");
        }
        if (parts.length != 5 || !"aws4_request".equals(parts[4]) || !isEightDigits(parts[1])
                || parts[2].isEmpty() || parts[3].isEmpty()) {
            throw new AuthException(kind, messagePrefix + EXPECTING);
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
    }

    private static boolean isEightDigits(String s) {
        if (s.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
