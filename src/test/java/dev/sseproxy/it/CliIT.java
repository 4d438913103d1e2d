package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real command-line clients a user points at the proxy: AWS CLI v2 (Debian's, at
 * {@code /usr/bin/aws}; the {@code aws} on PATH may be CLI v1), rclone and s3cmd. Each runs as its own
 * process with a clean environment (only PATH, locale, a throw-away HOME and its credentials), so
 * neither a user's config nor machine-wide variables such as {@code AWS_CA_BUNDLE} leak in. Every
 * process has a timeout; one that runs over is killed and fails the test.
 */
class CliIT {
    private static final String AWS = "/usr/bin/aws";
    private static final String REGION = "us-east-1";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int MIB = 1024 * 1024;
    /** AWS CLI's default multipart_threshold and multipart_chunksize. */
    private static final int AWS_CLI_PART = 8 * MIB;
    /** "2026-11-27 01:17:48      25321 tree/f1.bin" */
    private static final Pattern AWS_LS_LINE = Pattern.compile("^\\S+ \\S+ +(\\d+) (.+)$");

    static ProxyProcess proxy;
    static Path work;
    static final List<String> buckets = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        proxy = ProxyProcess.get();
        work = Files.createTempDirectory("sse-proxy-cli-it");
    }

    @AfterAll
    static void tearDown() throws IOException {
        try {
            for (String b : buckets) {
                // best effort: tests that reach their end have removed their bucket already
                run(awsEnv(), DEFAULT_TIMEOUT, awsCmd("s3", "rb", "--force", "s3://" + b));
            }
        } finally {
            deleteTree(work);
        }
    }

    // ---------------------------------------------------------------- AWS CLI v2

    @Test
    void awsCliCopiesA200MiBFileUpAndDownAsMultipartWithAnMd5OfPartsEtag() throws Exception {
        String bucket = awsBucket("cli-big");
        Path dir = Files.createDirectories(work.resolve("big"));
        Path up = dir.resolve("big.bin");
        writeRandom(up, 200L * MIB);
        try {
            long t0 = System.nanoTime();
            ok(aws(Duration.ofSeconds(150), "s3", "cp", "--only-show-errors", up.toString(), "s3://" + bucket + "/big.bin"));
            long t1 = System.nanoTime();

            JsonNode head = json(ok(aws("s3api", "head-object", "--bucket", bucket, "--key", "big.bin")));
            assertEquals(200L * MIB, head.get("ContentLength").asLong());
            assertEquals("\"" + multipartEtag(up, AWS_CLI_PART) + "\"", head.get("ETag").asText(),
                    "ETag of a 25-part upload is md5(part md5s)-25");
            assertTrue(head.get("ETag").asText().endsWith("-25\""), head.get("ETag").asText());

            // a ranged read across the boundary of parts 1 and 2
            Path slice = dir.resolve("slice.bin");
            long from = AWS_CLI_PART - 500;
            long to = AWS_CLI_PART + 499;
            JsonNode ranged = json(ok(aws("s3api", "get-object", "--bucket", bucket, "--key", "big.bin",
                    "--range", "bytes=" + from + "-" + to, slice.toString())));
            assertEquals("bytes " + from + "-" + to + "/" + (200L * MIB), ranged.get("ContentRange").asText());
            assertArrayEquals(readSlice(up, from, (int) (to - from + 1)), Files.readAllBytes(slice));
            Files.delete(slice);

            Path down = dir.resolve("down.bin");
            long t2 = System.nanoTime();
            ok(aws(Duration.ofSeconds(150), "s3", "cp", "--only-show-errors", "s3://" + bucket + "/big.bin", down.toString()));
            long t3 = System.nanoTime();
            assertEquals(200L * MIB, Files.size(down));
            assertEquals(-1L, Files.mismatch(up, down), "downloaded bytes equal the uploaded ones");
            System.out.printf("CliIT: aws s3 cp 200 MiB up %d ms, down %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(t1 - t0), TimeUnit.NANOSECONDS.toMillis(t3 - t2));
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void awsCliSyncUploadsATreeAndDownloadsItIntoANewDirectory() throws Exception {
        String bucket = awsBucket("cli-sync");
        Path local = work.resolve("sync-src");
        Map<String, Long> tree = makeTree(local, 40);

        Result first = ok(aws("s3", "sync", "--no-progress", local.toString(), "s3://" + bucket + "/t"));
        assertEquals(tree.size(), countLines(first.stdout, "upload: "), first.stdout);
        assertEquals(withPrefix("t/", tree), awsListing(bucket, null));
        Result again = ok(aws("s3", "sync", "--no-progress", local.toString(), "s3://" + bucket + "/t"));
        assertEquals("", again.stdout.trim(), "a second sync of an unchanged tree transfers nothing");

        Path copy = work.resolve("sync-dst");
        Result down = ok(aws("s3", "sync", "--no-progress", "s3://" + bucket + "/t", copy.toString()));
        assertEquals(tree.size(), countLines(down.stdout, "download: "), down.stdout);
        assertEquals(digests(local), digests(copy), "the downloaded tree equals the uploaded one");
        deleteTree(local);
        deleteTree(copy);
    }

    @Test
    void awsCliPutsGetsAndDeletesTheBucketDefaultEncryption() throws Exception {
        String bucket = awsBucket("cli-enc");
        JsonNode fresh = json(ok(aws("s3api", "get-bucket-encryption", "--bucket", bucket)));
        JsonNode rule = fresh.path("ServerSideEncryptionConfiguration").path("Rules").path(0);
        assertEquals("AES256", rule.path("ApplyServerSideEncryptionByDefault").path("SSEAlgorithm").asText(), fresh::toString);
        assertEquals(false, rule.path("BucketKeyEnabled").asBoolean(true), fresh::toString);

        Result put = ok(aws("s3api", "put-bucket-encryption", "--bucket", bucket, "--server-side-encryption-configuration",
                "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\","
                        + "\"KMSMasterKeyID\":\"alias/cli-key\"},\"BucketKeyEnabled\":true}]}"));
        assertEquals("", put.stdout.trim());
        JsonNode set = json(ok(aws("s3api", "get-bucket-encryption", "--bucket", bucket)));
        rule = set.path("ServerSideEncryptionConfiguration").path("Rules").path(0);
        assertEquals("aws:kms", rule.path("ApplyServerSideEncryptionByDefault").path("SSEAlgorithm").asText(), set::toString);
        assertEquals("alias/cli-key", rule.path("ApplyServerSideEncryptionByDefault").path("KMSMasterKeyID").asText(),
                set::toString);
        assertEquals(true, rule.path("BucketKeyEnabled").asBoolean(false), set::toString);

        Result bad = run(awsEnv(), DEFAULT_TIMEOUT, awsCmd("s3api", "put-bucket-encryption", "--bucket", bucket,
                "--server-side-encryption-configuration", "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":"
                        + "{\"SSEAlgorithm\":\"AES256\",\"KMSMasterKeyID\":\"alias/cli-key\"}}]}"));
        assertNotEquals(0, bad.exit, "AES256 with a key id is refused");
        assertTrue(bad.stderr.contains("InvalidArgument"), bad.stderr);

        ok(aws("s3api", "delete-bucket-encryption", "--bucket", bucket));
        ok(aws("s3api", "delete-bucket-encryption", "--bucket", bucket));
        JsonNode reset = json(ok(aws("s3api", "get-bucket-encryption", "--bucket", bucket)));
        rule = reset.path("ServerSideEncryptionConfiguration").path("Rules").path(0);
        assertEquals("AES256", rule.path("ApplyServerSideEncryptionByDefault").path("SSEAlgorithm").asText(), reset::toString);
        assertTrue(rule.path("ApplyServerSideEncryptionByDefault").path("KMSMasterKeyID").isMissingNode(), reset::toString);

        ok(aws("s3", "rb", "s3://" + bucket));
        buckets.remove(bucket);
    }

    @Test
    void awsCliListsEveryKeyWithItsSizeThenRemovesThemAllAndTheBucket() throws Exception {
        String bucket = awsBucket("cli-ls");
        Path local = work.resolve("ls-src");
        Map<String, Long> tree = makeTree(local, 25);
        ok(aws("s3", "cp", "--recursive", "--only-show-errors", local.toString(), "s3://" + bucket + "/"));

        assertEquals(tree, awsListing(bucket, null));
        assertEquals(tree, awsListing(bucket, "7"), "the same listing when fetched 7 keys a page");

        Result notEmpty = run(awsEnv(), DEFAULT_TIMEOUT, awsCmd("s3", "rb", "s3://" + bucket));
        assertNotEquals(0, notEmpty.exit, "rb of a non-empty bucket fails");
        assertTrue(notEmpty.stderr.contains("BucketNotEmpty"), notEmpty.stderr);

        Result rm = ok(aws("s3", "rm", "--recursive", "s3://" + bucket));
        assertEquals(tree.size(), countLines(rm.stdout, "delete: "), rm.stdout);
        assertEquals(Map.of(), awsListing(bucket, null), "the bucket is empty after rm --recursive");

        ok(aws("s3", "rb", "s3://" + bucket));
        Result gone = run(awsEnv(), DEFAULT_TIMEOUT, awsCmd("s3", "ls", "s3://" + bucket));
        assertNotEquals(0, gone.exit, "listing a removed bucket fails");
        assertTrue(gone.stderr.contains("NoSuchBucket"), gone.stderr);
        assertTrue(ok(aws("s3", "ls")).stdout.lines().noneMatch(l -> l.endsWith(" " + bucket)),
                "the removed bucket is not listed any more");
        buckets.remove(bucket);
        deleteTree(local);
    }

    @Test
    void awsCliPresignedUrlServesTheObjectToCurlUntilItExpires() throws Exception {
        String bucket = awsBucket("cli-presign");
        Path file = work.resolve("presign.bin");
        writeRandom(file, 70_000);
        String key = "dir/with space+ü.bin";
        ok(aws("s3", "cp", "--only-show-errors", file.toString(), "s3://" + bucket + "/" + key));

        String url = ok(aws("s3", "presign", "s3://" + bucket + "/" + key)).stdout.trim();
        assertTrue(url.startsWith(proxy.endpoint() + "/" + bucket + "/") && url.contains("X-Amz-Signature="), url);
        Path fetched = work.resolve("presign-fetched.bin");
        Result get = curl(url, fetched);
        assertEquals("200", get.stdout.trim(), get.stderr);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(fetched));

        String shortLived = ok(aws("s3", "presign", "--expires-in", "1", "s3://" + bucket + "/" + key)).stdout.trim();
        Thread.sleep(2_100);
        Result expired = curl(shortLived, fetched);
        assertEquals("403", expired.stdout.trim(), "an expired presigned URL is refused");
        String body = Files.readString(fetched);
        assertTrue(body.contains("<Code>AccessDenied</Code>") && body.contains("Request has expired"), body);
        Files.delete(file);
        Files.delete(fetched);
    }

    @Test
    void awsCliRangedGetObjectReturnsExactlyTheRequestedSlice() throws Exception {
        String bucket = awsBucket("cli-range");
        Path file = work.resolve("range.bin");
        int size = 300_000;
        writeRandom(file, size);
        ok(aws("s3", "cp", "--only-show-errors", file.toString(), "s3://" + bucket + "/r.bin"));
        byte[] all = Files.readAllBytes(file);
        Path out = work.resolve("range-out.bin");

        Map<String, int[]> ranges = new LinkedHashMap<>();
        ranges.put("bytes=0-0", new int[] {0, 1});
        ranges.put("bytes=1000-1999", new int[] {1000, 2000});
        ranges.put("bytes=-10", new int[] {size - 10, size});
        ranges.put("bytes=299990-", new int[] {299_990, size});
        ranges.put("bytes=299000-400000", new int[] {299_000, size});
        for (Map.Entry<String, int[]> r : ranges.entrySet()) {
            int from = r.getValue()[0];
            int to = r.getValue()[1];
            JsonNode reply = json(ok(aws("s3api", "get-object", "--bucket", bucket, "--key", "r.bin",
                    "--range", r.getKey(), out.toString())));
            assertArrayEquals(Arrays.copyOfRange(all, from, to), Files.readAllBytes(out), r.getKey());
            assertEquals(to - from, reply.get("ContentLength").asLong(), r.getKey());
            assertEquals("bytes " + from + "-" + (to - 1) + "/" + size, reply.get("ContentRange").asText(), r.getKey());
        }
        Result unsatisfiable = run(awsEnv(), DEFAULT_TIMEOUT, awsCmd("s3api", "get-object", "--bucket", bucket,
                "--key", "r.bin", "--range", "bytes=400000-500000", out.toString()));
        assertNotEquals(0, unsatisfiable.exit);
        assertTrue(unsatisfiable.stderr.contains("InvalidRange"), unsatisfiable.stderr);
        Files.deleteIfExists(out);
        Files.delete(file);
    }

    // ---------------------------------------------------------------- rclone

    @Test
    void rcloneCheckPassesAfterCopyingATreeAndFailsOnceARemoteObjectChanges() throws Exception {
        String bucket = awsBucket("cli-rclone");
        Path local = work.resolve("rclone-src");
        Map<String, Long> tree = makeTree(local, 100);
        String remote = "px:" + bucket + "/data";

        ok(rclone("copy", local.toString(), remote));
        Result listed = ok(rclone("lsf", "-R", "--files-only", "--s3-list-chunk", "10", remote));
        assertEquals(new TreeMap<>(tree).keySet(), new java.util.TreeSet<>(listed.stdout.lines().toList()),
                "rclone lists every file, paging 10 keys at a time");
        Result check = ok(rclone("check", local.toString(), remote));
        assertTrue(check.stderr.contains("0 differences found") && check.stderr.contains("100 matching files"),
                check.stderr);

        // change one object behind rclone's back: same size, other bytes, so only the hash can tell
        String victim = tree.keySet().stream().filter(k -> k.startsWith("a/b/")).findFirst().orElseThrow();
        Path replacement = work.resolve("rclone-replacement.bin");
        writeRandom(replacement, tree.get(victim));
        ok(aws("s3", "cp", "--only-show-errors", replacement.toString(), "s3://" + bucket + "/data/" + victim));

        Result changed = run(rcloneEnv(), DEFAULT_TIMEOUT, rcloneCmd("check", local.toString(), remote));
        assertEquals(1, changed.exit, "rclone check fails once a remote object differs:\n" + changed.stderr);
        assertTrue(changed.stderr.contains(victim + ": md5 differ"), changed.stderr);
        assertTrue(changed.stderr.contains("1 differences found") && changed.stderr.contains("99 matching files"),
                changed.stderr);
        Files.delete(replacement);
        deleteTree(local);
    }

    @Test
    void rcloneMultipartUploadRoundTripsAndChecks() throws Exception {
        String bucket = awsBucket("cli-rclone-mp");
        Path local = Files.createDirectories(work.resolve("rclone-mp"));
        Path file = local.resolve("eleven.bin");
        writeRandom(file, 11L * MIB);
        String remote = "px:" + bucket + "/mp";

        ok(rclone("copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", local.toString(), remote));
        JsonNode head = json(ok(aws("s3api", "head-object", "--bucket", bucket, "--key", "mp/eleven.bin")));
        assertTrue(head.get("ETag").asText().endsWith("-3\""), "uploaded in 3 parts: " + head);
        ok(rclone("check", local.toString(), remote));
        Path back = work.resolve("rclone-mp-back.bin");
        ok(rclone("copyto", remote + "/eleven.bin", back.toString()));
        assertEquals(-1L, Files.mismatch(file, back));
        Files.delete(back);
        deleteTree(local);
    }

    // ---------------------------------------------------------------- s3cmd

    @Test
    void s3cmdPutsAHundredFilesRecursivelyListsThemAndGetsThemBack() throws Exception {
        String bucket = Clients.bucketName("cli-s3cmd");
        Path local = work.resolve("s3cmd-src");
        Map<String, Long> tree = makeTree(local, 100);

        Result mb = ok(s3cmd("mb", "s3://" + bucket));
        buckets.add(bucket);
        assertTrue(mb.stdout.contains("Bucket 's3://" + bucket + "/' created"), mb.stdout);
        Result put = ok(s3cmd("put", "--recursive", "--no-progress", local + "/", "s3://" + bucket + "/up/"));
        assertEquals(100, countLines(put.stdout, "upload: "), put.stdout);

        // "2026-11-27 01:18          195  s3://bucket/up/a/b/file-10.dat"
        Pattern line = Pattern.compile("^\\S+ \\S+ +(\\d+) +s3://" + Pattern.quote(bucket) + "/up/(.+)$");
        Map<String, Long> listed = new TreeMap<>();
        for (String l : ok(s3cmd("ls", "--recursive", "s3://" + bucket + "/up/")).stdout.lines().toList()) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), "unexpected s3cmd ls line: " + l);
            listed.put(m.group(2), Long.parseLong(m.group(1)));
        }
        assertEquals(new TreeMap<>(tree), listed, "s3cmd ls shows every file with its size");

        Path copy = Files.createDirectories(work.resolve("s3cmd-dst"));
        Result get = ok(s3cmd("get", "--recursive", "--no-progress", "s3://" + bucket + "/up/", copy + "/"));
        assertEquals(100, countLines(get.stdout, "download: "), get.stdout);
        assertEquals(digests(local), digests(copy), "s3cmd get returns the files that were put");

        ok(s3cmd("del", "--recursive", "--force", "s3://" + bucket + "/"));
        ok(s3cmd("rb", "s3://" + bucket));
        buckets.remove(bucket);
        deleteTree(local);
        deleteTree(copy);
    }

    // ---------------------------------------------------------------- helpers: clients

    /** Makes a fresh bucket with {@code aws s3 mb} and remembers it for clean-up. */
    private static String awsBucket(String prefix) throws IOException {
        String bucket = Clients.bucketName(prefix);
        Result mb = ok(aws("s3", "mb", "s3://" + bucket));
        buckets.add(bucket);
        assertEquals("make_bucket: " + bucket, mb.stdout.trim());
        return bucket;
    }

    private static Result aws(String... args) throws IOException {
        return aws(DEFAULT_TIMEOUT, args);
    }

    private static Result aws(Duration timeout, String... args) throws IOException {
        return run(awsEnv(), timeout, awsCmd(args));
    }

    private static List<String> awsCmd(String... args) {
        List<String> cmd = new ArrayList<>(List.of(AWS, "--endpoint-url", proxy.endpoint().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Env awsEnv() throws IOException {
        Path home = freshHome("aws");
        Env env = new Env(home);
        env.put("AWS_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_DEFAULT_OUTPUT", "json");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        return env;
    }

    /** {@code aws s3 ls --recursive}: key to size, failing on any line that is not an object. */
    private static Map<String, Long> awsListing(String bucket, String pageSize) throws IOException {
        List<String> args = new ArrayList<>(List.of("s3", "ls", "--recursive", "s3://" + bucket));
        if (pageSize != null) {
            args.addAll(List.of("--page-size", pageSize));
        }
        Map<String, Long> listed = new TreeMap<>();
        for (String l : ok(aws(args.toArray(String[]::new))).stdout.lines().toList()) {
            Matcher m = AWS_LS_LINE.matcher(l);
            assertTrue(m.matches(), "unexpected aws s3 ls line: " + l);
            assertEquals(null, listed.put(m.group(2), Long.parseLong(m.group(1))), "listed twice: " + l);
        }
        return listed;
    }

    private static Result rclone(String... args) throws IOException {
        return run(rcloneEnv(), DEFAULT_TIMEOUT, rcloneCmd(args));
    }

    private static List<String> rcloneCmd(String... args) {
        List<String> cmd = new ArrayList<>(List.of("rclone"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** rclone with the remote {@code px:} defined in the environment only. */
    private static Env rcloneEnv() throws IOException {
        Path home = freshHome("rclone");
        Path config = Files.createFile(home.resolve("rclone.conf"));
        Env env = new Env(home);
        env.put("RCLONE_CONFIG", config.toString());
        env.put("RCLONE_CONFIG_PX_TYPE", "s3");
        env.put("RCLONE_CONFIG_PX_PROVIDER", "Other");
        env.put("RCLONE_CONFIG_PX_ENDPOINT", proxy.endpoint().toString());
        env.put("RCLONE_CONFIG_PX_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY);
        env.put("RCLONE_CONFIG_PX_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY);
        env.put("RCLONE_CONFIG_PX_REGION", REGION);
        env.put("RCLONE_CONFIG_PX_FORCE_PATH_STYLE", "true");
        return env;
    }

    private static Result s3cmd(String... args) throws IOException {
        Path home = freshHome("s3cmd");
        Path config = home.resolve("s3cfg");
        String hostPort = proxy.endpoint().getHost() + ":" + proxy.endpoint().getPort();
        Files.writeString(config, String.join("\n", "[default]",
                "access_key = " + ProxyProcess.ROOT_ACCESS_KEY,
                "secret_key = " + ProxyProcess.ROOT_SECRET_KEY,
                "host_base = " + hostPort,
                "host_bucket = " + hostPort,
                "bucket_location = " + REGION,
                "use_https = False",
                "signature_v2 = False", ""));
        List<String> cmd = new ArrayList<>(List.of("s3cmd", "-c", config.toString()));
        cmd.addAll(List.of(args));
        return run(new Env(home), DEFAULT_TIMEOUT, cmd);
    }

    private static Result curl(String url, Path out) throws IOException {
        return run(new Env(freshHome("curl")), DEFAULT_TIMEOUT, List.of("curl", "-sS", "--max-time", "30",
                "-o", out.toString(), "-w", "%{http_code}", url));
    }

    // ---------------------------------------------------------------- helpers: processes

    /** A clean environment: PATH, a UTF-8 locale and a throw-away HOME, plus what the caller adds. */
    private static final class Env extends LinkedHashMap<String, String> {
        Env(Path home) {
            put("PATH", "/usr/local/bin:/usr/bin:/bin");
            put("LANG", "C.UTF-8");
            put("LC_ALL", "C.UTF-8");
            put("HOME", home.toString());
            put("TMPDIR", home.toString());
        }
    }

    private record Result(List<String> cmd, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", cmd) + "\nexit " + exit + "\n--- stdout\n" + tail(stdout) + "\n--- stderr\n"
                    + tail(stderr);
        }

        private static String tail(String s) {
            return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
        }
    }

    private static Path freshHome(String tool) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(work.resolve("homes")), tool);
    }

    /** Runs a command; a process that outlives its timeout is killed (with its children) and fails the test. */
    private static Result run(Map<String, String> env, Duration timeout, List<String> cmd) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(work.resolve("procs")), "p");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail("timed out after " + timeout.toSeconds() + " s, killed: " + new Result(cmd, -1,
                        Files.readString(out), Files.readString(err)));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Result r = new Result(cmd, p.exitValue(), Files.readString(out), Files.readString(err));
        deleteTree(dir);
        return r;
    }

    /** The result of a command that must exit 0. */
    private static Result ok(Result r) {
        assertEquals(0, r.exit, () -> "command failed: " + r);
        return r;
    }

    private static JsonNode json(Result r) throws IOException {
        return new ObjectMapper().readTree(r.stdout);
    }

    private static long countLines(String s, String prefix) {
        return s.lines().filter(l -> l.startsWith(prefix)).count();
    }

    // ---------------------------------------------------------------- helpers: files

    private static void writeRandom(Path file, long size) throws IOException {
        byte[] buf = new byte[MIB];
        try (OutputStream o = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                ThreadLocalRandom.current().nextBytes(buf);
                o.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    /**
     * A tree of {@code n} files of random content and size (1 byte to 6 KiB): some at the top, some in
     * {@code a/}, {@code a/b/} and {@code c d/}, one with a non-ASCII name. Returns relative path to size.
     */
    private static Map<String, Long> makeTree(Path root, int n) throws IOException {
        Map<String, Long> tree = new TreeMap<>();
        for (int i = 1; i <= n; i++) {
            String dir = i % 7 == 0 ? "c d/" : i % 5 == 0 ? "a/b/" : i % 3 == 0 ? "a/" : "";
            String name = dir + (i == 1 ? "ünïcödé-1.txt" : "file-" + i + ".dat");
            Path f = root.resolve(name);
            Files.createDirectories(f.getParent());
            long size = 1 + ThreadLocalRandom.current().nextInt(6 * 1024);
            writeRandom(f, size);
            tree.put(name, size);
        }
        return tree;
    }

    private static Map<String, Long> withPrefix(String prefix, Map<String, Long> tree) {
        Map<String, Long> m = new TreeMap<>();
        tree.forEach((k, v) -> m.put(prefix + k, v));
        return m;
    }

    /** Relative path to SHA-256 of every regular file under root. */
    private static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), ProxyProcess.sha256Hex(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    /** The S3 ETag of a multipart upload in parts of {@code partSize}: md5 of the part md5s, "-" parts. */
    private static String multipartEtag(Path file, int partSize) throws Exception {
        MessageDigest ofParts = MessageDigest.getInstance("MD5");
        int parts = 0;
        byte[] buf = new byte[partSize];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                MessageDigest part = MessageDigest.getInstance("MD5");
                part.update(buf, 0, n);
                ofParts.update(part.digest());
                parts++;
            }
        }
        return HexFormat.of().formatHex(ofParts.digest()) + "-" + parts;
    }

    private static byte[] readSlice(Path file, long from, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[length];
            f.seek(from);
            f.readFully(b);
            return b;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
