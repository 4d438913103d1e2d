package dev.sseproxy.batch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a stream of UTF-8 chunks into numbered lines ({@code \n}, an optional {@code \r} before it dropped). */
final class LineSplitter {
    static final int MAX_LINE = 64 * 1024;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private long number;

    List<BatchRunner.Line> feed(byte[] chunk) {
        List<BatchRunner.Line> out = new ArrayList<>();
        for (byte b : chunk) {
            if (b == '\n') {
                out.add(line());
            } else {
                if (current.size() >= MAX_LINE) {
                    throw CsvManifest.invalidRow(number + 1, "line longer than " + MAX_LINE + " bytes");
                }
                current.write(b);
            }
        }
        return out;
    }

    List<BatchRunner.Line> end() {
        return current.size() == 0 ? List.of() : List.of(line());
    }

    private BatchRunner.Line line() {
        number++;
        String s = current.toString(StandardCharsets.UTF_8);
        current.reset();
        if (s.endsWith("\r")) {
            s = s.substring(0, s.length() - 1);
        }
        if (number == 1 && s.startsWith("\uFEFF")) {
            s = s.substring(1);
        }
        return new BatchRunner.Line(number, s);
    }
}
