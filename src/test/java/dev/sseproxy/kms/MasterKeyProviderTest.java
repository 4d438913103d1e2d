package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local KMS's master key file: born 0600, refused when its group or others may use it. */
class MasterKeyProviderTest {
    @TempDir
    Path dir;

    @Test
    void aNewKeyFileIsCreatedOwnerOnlyAndReadBackTheSame() throws Exception {
        Path file = dir.resolve("data").resolve(MasterKeyProvider.FILE_NAME);
        byte[] key = MasterKeyProvider.loadOrCreate(file);
        assertEquals(32, key.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(key, Base64.getDecoder().decode(Files.readString(file)));
        assertArrayEquals(key, MasterKeyProvider.loadOrCreate(file));
        // no temporary file is left beside it
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void theNewFileIsOwnerOnlyWhateverTheUmaskWouldGive() throws Exception {
        // the directory is open to all, as under umask 000: the key file still is not
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = open.resolve(MasterKeyProvider.FILE_NAME);
        MasterKeyProvider.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw------x", "r--r--r--"})
    void anExistingFileOpenToGroupOrOthersIsRefusedNamingTheFileAndTheFix(String mode) throws Exception {
        Path file = dir.resolve(MasterKeyProvider.FILE_NAME);
        byte[] key = MasterKeyProvider.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MasterKeyProvider.loadOrCreate(file));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600 " + file.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains(mode), e.getMessage());
        // fixed as the message says, it is read again, unchanged
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertArrayEquals(key, MasterKeyProvider.loadOrCreate(file));
    }

    @Test
    void anOwnerReadOnlyFileIsAccepted() throws Exception {
        Path file = dir.resolve(MasterKeyProvider.FILE_NAME);
        byte[] key = MasterKeyProvider.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertArrayEquals(key, MasterKeyProvider.loadOrCreate(file));
    }
}
