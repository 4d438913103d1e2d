package dev.sseproxy.api;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A pull parser for the {@code multipart/form-data} body of a POST Object (RFC 7578), fed the body
 * as it arrives and never holding more than one fed piece plus a delimiter's length.
 *
 * <p>Protocol, as S3 reads a form: the parts before the one named {@code file} are form fields,
 * whatever their headers (Python {@code requests} gives every field a {@code filename}); their
 * values are decoded as UTF-8 and kept. Everything before the file's bytes (preamble, delimiters,
 * part headers and field values) is bounded by {@link #MAX_PRE_DATA} bytes, S3's
 * {@code MaxPostPreDataLengthBytes}: past it the parser refuses with
 * {@code MaxPostPreDataLengthExceeded} before reading further. The {@code file} part's bytes are
 * handed out as they come ({@link Event.FileData}), never accumulated. Whatever follows the file
 * part is ignored, as S3 ignores fields after {@code file}. Field names are case-insensitive.
 *
 * <p>Use: {@link #feed} each piece of the body, then call {@link #next} until it answers
 * {@link Event.NeedMore}; at the end of the body call {@link #finish}. Not thread-safe.
 */
final class FormStream {
    /** S3's bound on what precedes the file's bytes (MaxPostPreDataLengthBytes). */
    static final int MAX_PRE_DATA = 20 * 1024;
    /** RFC 2046: a boundary is 1 to 70 characters. */
    static final int MAX_BOUNDARY = 70;

    /** What the parser found. */
    sealed interface Event permits Event.NeedMore, Event.Field, Event.FileStart, Event.FileData, Event.FileEnd {
        /** Nothing more until more of the body is fed. */
        record NeedMore() implements Event {
        }

        /** A complete form field before the file; {@code name} is lower case. */
        record Field(String name, String value) implements Event {
        }

        /** The {@code file} part begins. */
        record FileStart(String filename, Optional<String> contentType) implements Event {
        }

        /** Bytes of the file. */
        record FileData(Buffer bytes) implements Event {
        }

        /** The file part ended; the rest of the body is ignored. */
        record FileEnd() implements Event {
        }
    }

    private static final Event NEED_MORE = new Event.NeedMore();

    private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, FIELD, FILE, IGNORE }

    private final byte[] dashBoundary;
    private final byte[] delimiter;
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private State state = State.PREAMBLE;
    private long preData;
    private String fieldName;
    private final ByteArrayOutputStream fieldValue = new ByteArrayOutputStream();
    private boolean sawFile;
    private boolean closed;

    FormStream(String boundary) {
        this.dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The boundary of a {@code multipart/form-data} Content-Type.
     *
     * @throws S3Exception MalformedPOSTRequest when it is not a form with a usable boundary
     */
    static String boundary(String contentType) {
        return FormPartHeaders.boundary(contentType);
    }

    static S3Exception malformed() {
        return S3Exception.of(S3ErrorCode.MALFORMED_POST_REQUEST);
    }

    static S3Exception preDataTooLarge() {
        return S3Exception.of(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED)
                .withDetail("MaxPostPreDataLengthBytes", Integer.toString(MAX_PRE_DATA));
    }

    /** Appends a piece of the body. */
    void feed(Buffer piece) {
        int n = piece.length();
        if (state == State.IGNORE) {
            return;
        }
        if (start > 0 && end + n > buf.length) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + n > buf.length) {
            byte[] bigger = new byte[Math.max(buf.length * 2, end + n)];
            System.arraycopy(buf, 0, bigger, 0, end);
            buf = bigger;
        }
        piece.getBytes(0, n, buf, end);
        end += n;
    }

    /** Bytes consumed before the file's first byte (or so far, before the file part). */
    long preDataLength() {
        return preData;
    }

    /** True once the file part was complete. */
    boolean fileComplete() {
        return state == State.IGNORE && sawFile;
    }

    /**
     * The body ended: refuses a form that ended before its file part was complete.
     *
     * @throws S3Exception InvalidArgument (no file part) or MalformedPOSTRequest (truncated)
     */
    void finish() {
        if (fileComplete()) {
            return;
        }
        if (closed && !sawFile) {
            throw S3Exception.invalidArgument("POST requires exactly one file upload per request.", "file", "0");
        }
        throw malformed();
    }

    /** The next event; {@link Event.NeedMore} when the fed bytes are used up. */
    Event next() {
        while (true) {
            switch (state) {
                case PREAMBLE -> {
                    int at = indexOf(dashBoundary, start);
                    if (at < 0) {
                        // keep what could still be the start of the first delimiter
                        int keep = Math.min(end - start, dashBoundary.length - 1);
                        countPreData(end - start - keep);
                        start = end - keep;
                        return NEED_MORE;
                    }
                    countPreData(at + dashBoundary.length - start);
                    start = at + dashBoundary.length;
                    state = State.AFTER_DELIMITER;
                }
                case AFTER_DELIMITER -> {
                    Event e = afterDelimiter();
                    if (e != null) {
                        return e;
                    }
                }
                case HEADERS -> {
                    Event e = headers();
                    if (e != null) {
                        return e;
                    }
                }
                case FIELD -> {
                    Event e = fieldBody();
                    if (e != null) {
                        return e;
                    }
                }
                case FILE -> {
                    return fileBody();
                }
                case IGNORE -> {
                    start = end;
                    return NEED_MORE;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** After {@code --boundary}: {@code --} closes the form, else optional blanks and CRLF start a part. */
    private Event afterDelimiter() {
        if (end - start < 2) {
            return NEED_MORE;
        }
        if (buf[start] == '-' && buf[start + 1] == '-') {
            closed = true;
            start = end;
            state = State.IGNORE;
            return NEED_MORE;
        }
        int i = start;
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        if (end - i < 2) {
            countBounded(end - start);
            return NEED_MORE;
        }
        if (buf[i] != '\r' || buf[i + 1] != '\n') {
            throw malformed();
        }
        countPreData(i + 2 - start);
        start = i + 2;
        state = State.HEADERS;
        return null;
    }

    private Event headers() {
        int headerEnd;
        int next;
        if (end - start >= 2 && buf[start] == '\r' && buf[start + 1] == '\n') {
            headerEnd = start;
            next = start + 2;
        } else {
            int at = indexOf(new byte[] {'\r', '\n', '\r', '\n'}, start);
            if (at < 0) {
                countBounded(end - start);
                return NEED_MORE;
            }
            headerEnd = at;
            next = at + 4;
        }
        countPreData(next - start);
        FormPartHeaders part = FormPartHeaders.parse(new String(buf, start, headerEnd - start, StandardCharsets.UTF_8));
        start = next;
        String name = part.name();
        String filename = part.filename();
        String contentType = part.contentType();
        if (name == null) {
            throw malformed();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if ("file".equals(lower)) {
            sawFile = true;
            state = State.FILE;
            return new Event.FileStart(filename == null ? "" : filename, Optional.ofNullable(contentType));
        }
        fieldName = lower;
        fieldValue.reset();
        state = State.FIELD;
        return null;
    }

    private Event fieldBody() {
        int at = indexOf(delimiter, start);
        if (at < 0) {
            int take = Math.max(0, end - start - (delimiter.length - 1));
            countPreData(take);
            fieldValue.write(buf, start, take);
            start += take;
            countBounded(end - start);
            return NEED_MORE;
        }
        countPreData(at + delimiter.length - start);
        fieldValue.write(buf, start, at - start);
        start = at + delimiter.length;
        state = State.AFTER_DELIMITER;
        return new Event.Field(fieldName, fieldValue.toString(StandardCharsets.UTF_8));
    }

    private Event fileBody() {
        int at = indexOf(delimiter, start);
        if (at < 0) {
            int take = Math.max(0, end - start - (delimiter.length - 1));
            if (take == 0) {
                return NEED_MORE;
            }
            Buffer out = Buffer.buffer(take).appendBytes(buf, start, take);
            start += take;
            return new Event.FileData(out);
        }
        if (at > start) {
            Buffer out = Buffer.buffer(at - start).appendBytes(buf, start, at - start);
            start = at;
            return new Event.FileData(out);
        }
        start = end;
        state = State.IGNORE;
        return new Event.FileEnd();
    }

    /** Counts bytes consumed before the file against the pre-data bound. */
    private void countPreData(long n) {
        preData += n;
        if (preData > MAX_PRE_DATA) {
            throw preDataTooLarge();
        }
    }

    /** Refuses when bytes still held unconsumed would already exceed the pre-data bound. */
    private void countBounded(long held) {
        if (preData + held > MAX_PRE_DATA) {
            throw preDataTooLarge();
        }
    }

    private int indexOf(byte[] pattern, int from) {
        int last = end - pattern.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
