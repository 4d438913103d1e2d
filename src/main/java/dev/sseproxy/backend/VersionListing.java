package dev.sseproxy.backend;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One page of the backend's ListObjectVersions ({@code GET /bucket?versions}), asked with MinIO's
 * user-metadata extension ({@code metadata=true}, the envelope gives plaintext sizes and ETags) and
 * {@code encoding-type=url} (XML 1.0 cannot hold every character a key may have). Read with a
 * streaming parser, not the data binder: {@code Version} and {@code DeleteMarker} entries come
 * interleaved in the backend's order (key, then newest version first), which the answer keeps.
 */
public final class VersionListing {
    private static final XMLInputFactory INPUT = MinioXml.backendXmlInput();

    /** A Version or a DeleteMarker entry; {@code userMetadata} keys in lower case. */
    public record Entry(boolean deleteMarker, String key, String versionId, boolean latest, String lastModified,
            String etag, long size, Map<String, String> userMetadata) {
    }

    /** The page: entries in order, common prefixes, and the markers of the next page when truncated. */
    public record Page(List<Entry> entries, List<String> commonPrefixes, boolean truncated, String nextKeyMarker,
            String nextVersionIdMarker) {
    }

    private VersionListing() {
    }

    /** The backend request of one page (null or empty arguments are left out). */
    public static BackendCall call(String bucket, String prefix, String delimiter, String keyMarker,
            String versionIdMarker, int maxKeys) {
        BackendCall call = BackendCall.of("GET", bucket, null).query("versions", "").query("metadata", "true")
                .query("encoding-type", "url").query("max-keys", Integer.toString(maxKeys));
        if (prefix != null && !prefix.isEmpty()) {
            call.query("prefix", prefix);
        }
        if (delimiter != null && !delimiter.isEmpty()) {
            call.query("delimiter", delimiter);
        }
        if (keyMarker != null && !keyMarker.isEmpty()) {
            call.query("key-marker", keyMarker);
            if (versionIdMarker != null && !versionIdMarker.isEmpty()) {
                call.query("version-id-marker", versionIdMarker);
            }
        }
        return call;
    }

    public static Page read(byte[] xml) {
        try {
            XMLStreamReader r = INPUT.createXMLStreamReader(new ByteArrayInputStream(MinioXml.withoutNulReferences(xml)));
            List<Entry> entries = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            boolean truncated = false;
            String nextKey = null;
            String nextVersion = null;
            int depth = 0;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth != 2) {
                        continue;
                    }
                    switch (r.getLocalName()) {
                        case "IsTruncated" -> truncated = "true".equals(r.getElementText().trim());
                        case "NextKeyMarker" -> nextKey = withoutCacheTag(decode(r.getElementText()));
                        case "NextVersionIdMarker" -> nextVersion = r.getElementText();
                        case "Version" -> entries.add(entry(r, false));
                        case "DeleteMarker" -> entries.add(entry(r, true));
                        case "CommonPrefixes" -> prefixes.add(decode(children(r).getOrDefault("Prefix", "")));
                        default -> skip(r);
                    }
                    depth--;
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            return new Page(entries, prefixes, truncated, nextKey, nextVersion);
        } catch (XMLStreamException | RuntimeException e) {
            throw new IllegalStateException("backend version listing unreadable", e);
        }
    }

    private static Entry entry(XMLStreamReader r, boolean deleteMarker) throws XMLStreamException {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
            String name = r.getLocalName();
            if ("UserMetadata".equals(name)) {
                while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
                    String m = r.getLocalName().toLowerCase(Locale.ROOT);
                    meta.put(m, r.getElementText());
                }
            } else if ("Owner".equals(name) || "Internal".equals(name)) {
                skip(r);
            } else {
                fields.put(name, r.getElementText());
            }
        }
        String size = fields.get("Size");
        return new Entry(deleteMarker, decode(fields.get("Key")), fields.get("VersionId"),
                "true".equals(fields.get("IsLatest")), fields.get("LastModified"), fields.get("ETag"),
                size == null ? 0 : Long.parseLong(size.trim()), meta);
    }

    /** The text of each child element of the current one (which ends consumed). */
    private static Map<String, String> children(XMLStreamReader r) throws XMLStreamException {
        Map<String, String> out = new LinkedHashMap<>();
        while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
            out.put(r.getLocalName(), r.getElementText());
        }
        return out;
    }

    /** Skips the current element and everything in it. */
    private static void skip(XMLStreamReader r) throws XMLStreamException {
        int d = 1;
        while (d > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                d++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                d--;
            }
        }
    }

    /**
     * MinIO appends its listing cache's state to the key marker ({@code key[minio_cache:v2,...]},
     * cmd/metacache-marker.go); S3's NextKeyMarker is the key itself, and MinIO takes a marker
     * without the tag as well (it then lists without its cache).
     */
    static String withoutCacheTag(String marker) {
        if (marker == null || !marker.contains("[minio_cache:")) {
            return marker;
        }
        return marker.substring(0, marker.lastIndexOf('['));
    }

    private static String decode(String s) {
        return s == null ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
