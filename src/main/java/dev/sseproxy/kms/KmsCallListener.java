package dev.sseproxy.kms;

/**
 * Told about every KMS call after it finished (the audit trail records them). Called on whatever
 * thread completed the call: must not block and must not throw. Implementations are CDI beans that
 * {@code dev.sseproxy.wiring.KmsClientProducer} hands to the {@link MeteredKmsClient}.
 */
public interface KmsCallListener {
    void called(KmsCall call);
}
