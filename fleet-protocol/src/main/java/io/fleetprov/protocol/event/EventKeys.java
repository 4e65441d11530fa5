package io.fleetprov.protocol.event;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM forms of event-signing keys: an EC P-256 {@code PRIVATE KEY} (PKCS#8) for the producer, its
 * {@code PUBLIC KEY} (SubjectPublicKeyInfo) for consumers. Whitespace inside a block is ignored, so a PEM flattened
 * onto one line (an environment variable, a properties value) reads the same as the file.
 */
public final class EventKeys {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final int P256_FIELD_BITS = 256;

    private EventKeys() {}

    /** True when {@code text} holds a PEM block rather than, say, the name of a file. */
    public static boolean isPem(String text) {
        return text != null && text.strip().startsWith("-----BEGIN ");
    }

    /** The {@code PRIVATE KEY} block of {@code pem} (other blocks, e.g. its public key, are skipped). */
    public static PrivateKey privateKey(String pem) {
        byte[] der = block(pem, "PRIVATE KEY")
                .orElseThrow(() -> new IllegalArgumentException("no PKCS#8 PRIVATE KEY block (EC P-256) in the PEM"));
        try {
            return p256(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PRIVATE KEY block is not an EC key", e);
        }
    }

    /** The {@code PUBLIC KEY} block of {@code pem}. */
    public static PublicKey publicKey(String pem) {
        byte[] der = block(pem, "PUBLIC KEY")
                .orElseThrow(() -> new IllegalArgumentException("no PUBLIC KEY block (EC P-256) in the PEM"));
        try {
            return p256(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PUBLIC KEY block is not an EC key", e);
        }
    }

    /** A fresh P-256 key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has EC P-256", e);
        }
    }

    public static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static Optional<byte[]> block(String pem, String label) {
        Matcher m = BLOCK.matcher(pem == null ? "" : pem);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                try {
                    return Optional.of(Base64.getMimeDecoder().decode(m.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the " + label + " block is not base64", e);
                }
            }
        }
        return Optional.empty();
    }

    /** ES256 is ECDSA on P-256 only: a key on another curve would fail at the first signature, so fail here. */
    private static <K> K p256(K key) {
        if (!(key instanceof ECKey ec) || ec.getParams().getCurve().getField().getFieldSize() != P256_FIELD_BITS) {
            throw new IllegalArgumentException("the key is not on curve P-256");
        }
        return key;
    }
}
