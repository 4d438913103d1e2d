/**
 * The embedded ("local") KMS: Transit semantics on the JDK, its keys shared by every node through
 * PostgreSQL and sealed under the master key that every node gets from the same secret
 * ({@code sse-proxy.master-key} / {@code SSE_PROXY_MASTER_KEY}; else {@code <data-dir>/master.key},
 * which is only right for a single node).
 *
 * <h2>Stored form (V13)</h2>
 * <pre>
 * kms_local_key_version(key_name, version, created_at, sealed_material)   primary key (key_name, version)
 *   sealed_material = SecretSealer.seal(32 key bytes, aad)
 *                   = 0x01 || nonce(12) || AES-256-GCM(master key, key bytes) || tag(16)     (61 bytes)
 *   aad             = "sse-proxy kms key v1" || 0x00 || UTF-8(key_name) || 0x00 || u32 version (big-endian)
 * kms_local_key_config(key_name, min_decryption_version)   no row: 1
 * kms_local_master_key_check(id = 1, check_value, created_at)
 *   check_value     = HMAC-SHA256(master key, "sse-proxy local kms master key check v1")
 * </pre>
 * The associated data binds every sealed version to its key name and number: a row copied or moved to
 * another name or number does not open (it reads as a damaged keystore, never as another key). Key
 * names and version numbers are in clear (they are the KMS's backend key names, which the catalog
 * holds in clear too); key material never is. The minimum decryption version is a policy, not a
 * secret, and is stored in clear.
 *
 * <h2>Concurrent nodes</h2>
 * Versions are only ever inserted, one row each; nothing reads, changes and writes back a shared blob.
 * <ul>
 * <li><b>Create</b>: {@code INSERT} version 1 {@code ON CONFLICT DO NOTHING}, then read the key back:
 *     two nodes creating one name end up with the same key (whichever insert came first).</li>
 * <li><b>Rotate</b>: read the latest version n from the database (not the cache), {@code INSERT} n + 1;
 *     when another node inserted n + 1 first the insert does nothing and the node reads again and tries
 *     n + 2 (up to 20 tries). Two concurrent rotations therefore add two versions, none is lost, and
 *     numbers stay 1..n without gaps.</li>
 * <li><b>Minimum decryption version</b>: an upsert of its one row, checked against the latest version
 *     read from the database.</li>
 * </ul>
 *
 * <h2>Cache</h2>
 * A node keeps the keys it has used, decrypted, in memory (keys are loaded lazily, one query per key on
 * first use: start time does not grow with the number of keys). A key it does not know, or a
 * ciphertext naming a version above the latest it knows (another node created or rotated the key), is
 * loaded from the database on that miss; "absent" is never cached, so a key created elsewhere is usable
 * here at once. A cached key is reloaded in the background when it is older than
 * {@link dev.sseproxy.kms.local.LocalKmsClient#REFRESH_AFTER}, so encryption moves to a version rotated
 * on another node, and a minimum decryption version raised there applies here, within that time.
 * {@code keyInfo}, rotation and the minimum decryption version always read the database. Database
 * work goes through the reactive pool (no thread blocks on it); at start the node waits for it on the
 * main thread. The statements are the catalog's: this package names what it needs of the rows in the
 * port {@link dev.sseproxy.kms.local.KeystoreStorage} (sealed bytes in, sealed bytes out), which
 * {@code dev.sseproxy.catalog.LocalKeystoreRows} implements; sealing and opening stay here.
 *
 * <h2>Master key check</h2>
 * The first node that starts writes the check value of its master key; every node compares its own at
 * start and refuses to start when it differs ({@link dev.sseproxy.kms.local.KeystoreException} naming
 * both fingerprints, where this node's key came from and what to set), so a node with another master key,
 * e.g. one that generated its own {@code <data-dir>/master.key} because {@code SSE_PROXY_MASTER_KEY} was
 * not set, never makes keys the others cannot read nor touches what they made. The fingerprint shown is
 * the first 4 bytes of the check value, which reveals nothing of the key.
 *
 * <h2>Migration of a keystore file</h2>
 * Before this, each node kept its keys in {@code <data-dir>/kms/keystore} ({@link
 * dev.sseproxy.kms.local.LocalKeystore}, format v1). At start, when that file exists, it is opened with the
 * master key and every version is inserted (nothing is done when the database already holds that version
 * with the same material; a version with other material stops the start with a message naming the key:
 * two nodes made different keys of one name, and one of them must be chosen by hand); the file's
 * minimum decryption version is raised into the database. Then the file is renamed
 * {@code keystore.migrated-<UTC timestamp>} (never deleted, never imported twice).
 */
package dev.sseproxy.kms.local;
