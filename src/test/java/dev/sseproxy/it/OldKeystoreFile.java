package dev.sseproxy.it;

import dev.sseproxy.crypto.SecretSealer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a local KMS keystore file of format v1, as sse-proxy kept its keys before they moved into
 * PostgreSQL, from the rows of {@code kms_local_key_version}: both formats exactly as documented (the
 * {@code LocalKeystore} class and the {@code kms.local} package), built here independently of the proxy's code.
 */
final class OldKeystoreFile {
    private OldKeystoreFile() {
    }

    private record Version(long created, byte[] material) {
    }

    /**
     * @param rows psql's unaligned output: {@code name|version|created epoch s|hex(sealed material)|min decryption version}
     */
    static byte[] fromRows(String rows, byte[] masterKey) {
        SecretSealer sealer = new SecretSealer(masterKey);
        Map<String, List<Version>> keys = new LinkedHashMap<>();
        Map<String, Integer> min = new LinkedHashMap<>();
        for (String line : rows.split("\n")) {
            String[] f = line.split("\\|");
            String name = f[0];
            int version = Integer.parseInt(f[1]);
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] prefix = "sse-proxy kms key v1".getBytes(StandardCharsets.US_ASCII);
            byte[] aad = ByteBuffer.allocate(prefix.length + 1 + n.length + 1 + 4).put(prefix).put((byte) 0).put(n)
                    .put((byte) 0).putInt(version).array();
            byte[] material = sealer.open(HexFormat.of().parseHex(f[3]), aad);
            List<Version> versions = keys.computeIfAbsent(name, x -> new ArrayList<>());
            if (versions.size() + 1 != version) {
                throw new IllegalStateException("versions of " + name + " are not 1..n");
            }
            versions.add(new Version(Long.parseLong(f[2]), material));
            min.put(name, Integer.parseInt(f[4]));
        }
        // body = u32 key count, then per key (sorted by name): u16 name length || name || u32 min decryption
        //        version || u32 version count || per version: i64 created || 32 key bytes
        ByteBuffer body = ByteBuffer.allocate(1 << 20);
        body.putInt(keys.size());
        keys.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
            body.putShort((short) n.length).put(n).putInt(min.get(e.getKey())).putInt(e.getValue().size());
            e.getValue().forEach(v -> body.putLong(v.created()).put(v.material()));
        });
        byte[] plain = new byte[body.position()];
        body.flip().get(plain);
        byte[] sealed = sealer.seal(plain, "sse-proxy kms keystore v1".getBytes(StandardCharsets.US_ASCII));
        return ByteBuffer.allocate(8 + sealed.length).put("SSEPKMS".getBytes(StandardCharsets.US_ASCII)).put((byte) 1)
                .put(sealed).array();
    }
}
