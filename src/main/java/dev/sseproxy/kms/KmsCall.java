package dev.sseproxy.kms;

import java.time.Instant;
import java.util.Map;

/**
 * One finished call of the KMS port, as {@link KmsCallListener}s see it. Never holds key material:
 * no plaintext, no data key, no ciphertext.
 *
 * @param operation         the port's operation: generate_data_key, encrypt, decrypt, rewrap,
 *                          create_key, rotate_key, key_info, set_min_decryption_version
 * @param keyName           the key's name at the KMS backend ({@link KeyRef#name()})
 * @param encryptionContext the context the call bound (empty for key management)
 * @param accountId         the account the call was made for ({@link KmsClient#forAccount}), or null
 *                          for the proxy's own calls
 * @param time              when the call started
 * @param failure           null on success, else what it failed with (a rate-limiter rejection is a
 *                          {@link KmsException.Throttled})
 */
public record KmsCall(String operation, String keyName, Map<String, String> encryptionContext, String accountId,
        Instant time, Throwable failure) {
}
