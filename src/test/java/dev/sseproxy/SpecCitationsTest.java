package dev.sseproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The code's "spec §N.M" citations resolve: the spec is {@code docs/s3-sse-behaviour.md} in this
 * repository, every section number cited anywhere under {@code src/} is a heading of it, every package
 * that cites it says so in its package documentation, and every {@code bNN_} test names an item of its
 * §12 list.
 */
class SpecCitationsTest {
    static final Path SPEC = Path.of("docs", "s3-sse-behaviour.md");
    static final String SECTION = "\u00a7";
    /** A section number after the section sign, e.g. 3 or 3.8. */
    static final Pattern CITED = Pattern.compile(SECTION + "(\\d+(?:\\.\\d+)?)");
    /** A heading of the spec: "## 3. …" or "### 3.8 …". */
    static final Pattern HEADING = Pattern.compile("^#{2,3} (\\d+(?:\\.\\d+)?)\\.? ", Pattern.MULTILINE);
    static final Pattern ITEM = Pattern.compile("^(\\d+)\\. ", Pattern.MULTILINE);
    static final Pattern B_TEST = Pattern.compile("void b(\\d\\d)_");

    @Test
    void everyCitedSectionIsAHeadingOfTheSpec() throws IOException {
        assertTrue(Files.isRegularFile(SPEC), SPEC + " is missing: the code's spec citations point nowhere");
        Set<String> headings = new TreeSet<>();
        Matcher h = HEADING.matcher(Files.readString(SPEC, StandardCharsets.UTF_8));
        while (h.find()) {
            headings.add(h.group(1));
        }
        List<String> unresolved = new ArrayList<>();
        int citations = 0;
        for (Path file : sources()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = CITED.matcher(lines.get(i));
                while (m.find()) {
                    String before = lines.get(i).substring(Math.max(0, m.start() - 12), m.start());
                    if (before.contains("RFC")) {
                        continue; // another document's sections
                    }
                    citations++;
                    if (!headings.contains(m.group(1))) {
                        unresolved.add(file + ":" + (i + 1) + " cites " + SECTION + m.group(1));
                    }
                }
            }
        }
        assertTrue(citations > 40, "found only " + citations + " citations: is the working directory the project?");
        assertEquals(List.of(), unresolved);
    }

    @Test
    void everyPackageThatCitesTheSpecSaysWhereItIs() throws IOException {
        List<String> silent = new ArrayList<>();
        for (Path file : sources()) {
            if (!file.toString().endsWith(".java") || !Files.readString(file).contains("spec " + SECTION)) {
                continue;
            }
            Path pkg = relativePackage(file);
            boolean said = false;
            for (Path root : List.of(Path.of("src", "main", "java"), Path.of("src", "test", "java"))) {
                Path info = root.resolve(pkg).resolve("package-info.java");
                said |= Files.isRegularFile(info) && Files.readString(info).contains("docs/s3-sse-behaviour.md");
            }
            if (!said) {
                silent.add(pkg + " (" + file.getFileName() + ")");
            }
        }
        assertEquals(List.of(), silent.stream().distinct().toList());
    }

    @Test
    void everyBehaviourTestNamesAnItemOfSection12() throws IOException {
        String spec = Files.readString(SPEC, StandardCharsets.UTF_8);
        String section12 = spec.substring(spec.indexOf("## 12. "), spec.indexOf("\n## ", spec.indexOf("## 12. ") + 1));
        Set<Integer> items = new TreeSet<>();
        Matcher i = ITEM.matcher(section12);
        while (i.find()) {
            items.add(Integer.parseInt(i.group(1)));
        }
        assertEquals(25, items.size(), "§12 lists 25 behaviours");
        List<String> orphans = new ArrayList<>();
        for (Path file : sources()) {
            Matcher b = B_TEST.matcher(Files.readString(file));
            while (b.find()) {
                if (!items.contains(Integer.parseInt(b.group(1)))) {
                    orphans.add(file.getFileName() + ": b" + b.group(1));
                }
            }
        }
        assertEquals(List.of(), orphans);
    }

    /** Java sources and resources under src/, except this test. */
    static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("src"))) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".sql")
                            || p.toString().endsWith(".properties"))
                    .filter(p -> !p.getFileName().toString().equals("SpecCitationsTest.java"))
                    .sorted().toList();
        }
    }

    /** dev/sseproxy/api for src/main/java/dev/sseproxy/api/X.java or src/test/java/dev/sseproxy/api/XTest.java. */
    static Path relativePackage(Path file) {
        return file.subpath(3, file.getNameCount() - 1);
    }
}
