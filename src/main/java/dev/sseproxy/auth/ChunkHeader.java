package dev.sseproxy.auth;

/**
 * One parsed aws-chunked chunk header line, {@code <hex-size>[;chunk-signature=<64 hex>]}.
 *
 * @param size      chunk data length in bytes
 * @param signature the chunk signature (lower-case hex), or null for unsigned chunks
 */
record ChunkHeader(long size, String signature) {

    private static final int MAX_SIZE_DIGITS = 15;
    private static final String SIGNATURE_EXTENSION = "chunk-signature";

    /**
     * Parses a header line.
     *
     * @param signed true when a {@code chunk-signature} extension is required; false to ignore
     *               every extension
     */
    static ChunkHeader parse(String line, boolean signed) {
        int semi = line.indexOf(';');
        String sizeText = semi < 0 ? line : line.substring(0, semi);
        long size = parseSize(sizeText);
        if (!signed) {
            return new ChunkHeader(size, null);
        }
        if (semi < 0) {
            throw AwsChunkedDecoder.malformed("chunk signature missing");
        }
        String extension = line.substring(semi + 1);
        int eq = extension.indexOf('=');
        if (eq < 0 || !SIGNATURE_EXTENSION.equals(extension.substring(0, eq))) {
            throw AwsChunkedDecoder.malformed("unexpected chunk extension");
        }
        String signature = extension.substring(eq + 1);
        if (!PayloadMode.isSha256Hex(signature)) {
            throw AwsChunkedDecoder.malformed("chunk signature is not 64 hex digits");
        }
        return new ChunkHeader(size, signature.toLowerCase(java.util.Locale.ROOT));
    }

    private static long parseSize(String text) {
        if (text.isEmpty() || text.length() > MAX_SIZE_DIGITS) {
            throw AwsChunkedDecoder.malformed("invalid chunk size");
        }
        long size = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = SigV4.hexDigit(text.charAt(i));
            if (digit < 0) {
                throw AwsChunkedDecoder.malformed("invalid chunk size");
            }
            size = size * 16 + digit;
        }
        return size;
    }
}
