package dev.sseproxy.auth;

import dev.sseproxy.auth.AuthException.Kind;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks the integrity headers of a write request: {@code x-amz-checksum-*},
 * {@code x-amz-trailer}, {@code x-amz-sdk-checksum-algorithm} and {@code Content-MD5}
 * (spec sections 1.4 and 9.3). Header names in the maps must be lower case. Checksum headers of
 * algorithms this package does not know (e.g. {@code x-amz-checksum-xxhash64}) are ignored.
 */
public final class RequestChecksums {

    /**
     * The checksum a request promises.
     *
     * @param algorithm   the algorithm
     * @param headerValue the base64 value when sent as a header; empty when it comes in the trailer
     */
    public record Expected(ChecksumAlgorithm algorithm, Optional<String> headerValue) {

        /** True when the value arrives in the aws-chunked trailer. */
        public boolean inTrailer() {
            return headerValue.isEmpty();
        }

        /**
         * Compares the promised value with the checksum computed over the decoded body.
         *
         * @param trailers trailer headers from {@link AwsChunkedDecoder#finish()} (ignored for header values)
         * @throws AuthException INVALID_CHECKSUM_VALUE when the trailer value is missing or malformed,
         *                       BAD_DIGEST when it does not match
         */
        public void check(Map<String, String> trailers, RunningChecksum computed) {
            String value = headerValue.orElseGet(() -> trailers.get(algorithm.headerName()));
            if (value == null || !algorithm.isValidEncoded(value.trim())) {
                throw AuthException.invalidChecksumValue(algorithm);
            }
            if (!MessageDigest.isEqual(Base64.getDecoder().decode(value.trim()), computed.digest())) {
                throw AuthException.badDigest(algorithm);
            }
        }
    }

    private RequestChecksums() {
    }

    /**
     * The checksum a request carries, if any.
     *
     * @throws AuthException MULTIPLE_CHECKSUMS, INVALID_CHECKSUM_VALUE, UNSUPPORTED_TRAILER or
     *                       MISSING_CHECKSUM_FOR_SDK_ALGORITHM
     */
    public static Optional<Expected> fromHeaders(Map<String, List<String>> headers) {
        List<Expected> found = new ArrayList<>();
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            List<String> values = headers.getOrDefault(a.headerName(), List.of());
            if (!values.isEmpty()) {
                String value = values.get(0).trim();
                if (!a.isValidEncoded(value)) {
                    throw AuthException.invalidChecksumValue(a);
                }
                found.add(new Expected(a, Optional.of(value)));
            }
        }
        found.addAll(trailerChecksums(headers));
        if (found.size() > 1) {
            throw new AuthException(Kind.MULTIPLE_CHECKSUMS);
        }
        Optional<Expected> expected = found.stream().findFirst();
        checkSdkAlgorithm(headers, expected);
        return expected;
    }

    private static List<Expected> trailerChecksums(Map<String, List<String>> headers) {
        List<Expected> out = new ArrayList<>();
        for (String value : headers.getOrDefault("x-amz-trailer", List.of())) {
            for (String name : value.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                ChecksumAlgorithm a = ChecksumAlgorithm.fromHeaderName(name)
                        .orElseThrow(() -> new AuthException(Kind.UNSUPPORTED_TRAILER));
                out.add(new Expected(a, Optional.empty()));
            }
        }
        return out;
    }

    private static void checkSdkAlgorithm(Map<String, List<String>> headers, Optional<Expected> expected) {
        List<String> sdk = headers.getOrDefault("x-amz-sdk-checksum-algorithm", List.of());
        if (sdk.isEmpty()) {
            return;
        }
        ChecksumAlgorithm announced = ChecksumAlgorithm.fromName(sdk.get(0)).orElseThrow(() -> new AuthException(
                Kind.INVALID_CHECKSUM_VALUE, "Value for x-amz-sdk-checksum-algorithm header is invalid."));
        if (expected.isEmpty() || expected.get().algorithm() != announced) {
            throw new AuthException(Kind.MISSING_CHECKSUM_FOR_SDK_ALGORITHM);
        }
    }

    /**
     * The decoded {@code Content-MD5} header, if present.
     *
     * @throws AuthException INVALID_DIGEST when it is not base64 of 16 bytes
     */
    public static Optional<byte[]> contentMd5(Map<String, List<String>> headers) {
        List<String> values = headers.getOrDefault("content-md5", List.of());
        if (values.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(values.get(0).trim());
            if (md5.length == 16) {
                return Optional.of(md5);
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw new AuthException(Kind.INVALID_DIGEST);
    }

    /** Checks a body MD5 against the Content-MD5 header value; BAD_DIGEST when they differ. */
    public static void checkContentMd5(byte[] expected, byte[] computedMd5) {
        if (!MessageDigest.isEqual(expected, computedMd5)) {
            throw AuthException.badContentMd5();
        }
    }
}
