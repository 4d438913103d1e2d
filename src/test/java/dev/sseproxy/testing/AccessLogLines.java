package dev.sseproxy.testing;

import java.util.ArrayList;
import java.util.List;

/** Test support: reads S3 server access log records the way their documentation defines them. */
public final class AccessLogLines {
    private AccessLogLines() {
    }

    /**
     * A record split as the Amazon S3 server access log format documents it: fields separated by a space,
     * except inside {@code [...]} (the time) and {@code "..."} (Request-URI, Referer, User-Agent; {@code \"}
     * and {@code \\} escaped inside).
     */
    public static List<String> parse(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            StringBuilder sb = new StringBuilder();
            char c = line.charAt(i);
            if (c == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    if (line.charAt(i) == '\\') {
                        i++;
                    }
                    sb.append(line.charAt(i++));
                }
                i++;
            } else if (c == '[') {
                int end = line.indexOf(']', i);
                sb.append(line, i, end + 1);
                i = end + 1;
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    sb.append(line.charAt(i++));
                }
            }
            out.add(sb.toString());
            i++; // the space
        }
        return out;
    }
}
