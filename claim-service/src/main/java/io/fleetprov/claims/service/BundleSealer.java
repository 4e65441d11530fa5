package io.fleetprov.claims.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.protocol.claim.ClaimResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a claim bundle (AES-GCM, the claim's row id as associated data) so an Idempotency-Key retry can be
 * answered with the same claim without the private key ever resting in the database in clear.
 */
@ApplicationScoped
public class BundleSealer {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public BundleSealer(ClaimServiceConfig config) {
        this.key = new SecretKeySpec(keyBytes(config.claims().bundleKey(), random), "AES");
    }

    public byte[] seal(UUID claimId, ClaimResponse bundle) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(claimId.toString().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(bundle));
            return ByteBuffer.allocate(IV_BYTES + sealed.length)
                    .put(iv)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot seal claim bundle", e);
        }
    }

    /** Empty when the bundle was sealed with another key (e.g. by a process started without a configured key). */
    public Optional<ClaimResponse> open(UUID claimId, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(claimId.toString().getBytes(StandardCharsets.UTF_8));
            byte[] clear = cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
            return Optional.of(json.readValue(clear, ClaimResponse.class));
        } catch (GeneralSecurityException | IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] keyBytes(Optional<String> configured, SecureRandom random) {
        if (configured.isPresent()) {
            byte[] bytes = Base64.getDecoder().decode(configured.get().trim());
            if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
                throw new IllegalArgumentException("fleetprov.claims.bundle-key must be 16, 24 or 32 bytes (base64)");
            }
            return bytes;
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }
}
