package io.fleetprov.audit.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Signs checkpoints as compact JWS (ES256), so that any JOSE library can check them with the public key alone, and
 * verifies them. The key is read from a PEM file holding a {@code PRIVATE KEY} (PKCS#8) and its {@code PUBLIC KEY}
 * block — the JDK cannot derive an EC public key from the private one — or generated once and kept in such a file.
 */
final class CheckpointSigner {

    static final String GENERATED_KEY_FILE = "checkpoint-signing-key.pem";
    static final String PUBLIC_KEY_FILE = "checkpoint-signing-key.pub.pem";

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private CheckpointSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        try {
            this.keyId =
                    PublicJsonWebKey.Factory.newPublicJwk(publicKey).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (JoseException e) {
            throw new IllegalStateException("not an EC public key", e);
        }
    }

    /**
     * The configured key, or the one generated in {@code directory} at first start. The public key is also written
     * beside the checkpoints, for whoever verifies them without this service.
     */
    static CheckpointSigner open(Optional<Path> keyFile, Path directory) {
        Path file = keyFile.orElse(directory.resolve(GENERATED_KEY_FILE));
        CheckpointSigner signer;
        if (keyFile.isEmpty() && !Files.exists(file)) {
            signer = generate(file);
        } else {
            signer = read(file);
        }
        Path publicFile = directory.resolve(PUBLIC_KEY_FILE);
        try {
            Files.writeString(publicFile, pem("PUBLIC KEY", signer.publicKey.getEncoded()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + publicFile, e);
        }
        return signer;
    }

    String keyId() {
        return keyId;
    }

    String sign(String payload) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(keyId);
        jws.setKey(privateKey);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a checkpoint", e);
        }
    }

    /** The payload of a JWS this key signed; empty when the signature does not verify (or it is not a JWS). */
    Optional<String> verify(String compact) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new AlgorithmConstraints(
                    AlgorithmConstraints.ConstraintType.PERMIT,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
            jws.setCompactSerialization(compact.strip());
            jws.setKey(publicKey);
            return jws.verifySignature() ? Optional.of(jws.getPayload()) : Optional.empty();
        } catch (JoseException e) {
            return Optional.empty();
        }
    }

    private static CheckpointSigner generate(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            String content = pem("PRIVATE KEY", pair.getPrivate().getEncoded())
                    + pem("PUBLIC KEY", pair.getPublic().getEncoded());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            return new CheckpointSigner(pair.getPrivate(), pair.getPublic());
        } catch (FileAlreadyExistsException e) {
            return read(file); // another instance generated it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint signing key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator", e);
        }
    }

    private static CheckpointSigner read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint signing key " + file, e);
        }
        byte[] privateDer = null;
        byte[] publicDer = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> privateDer = der;
                case "PUBLIC KEY" -> publicDer = der;
                default -> {}
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IllegalStateException(
                    file + " must hold a PRIVATE KEY (PKCS#8) and a PUBLIC KEY block of one EC P-256 key");
        }
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            CheckpointSigner signer = new CheckpointSigner(
                    ec.generatePrivate(new PKCS8EncodedKeySpec(privateDer)),
                    ec.generatePublic(new X509EncodedKeySpec(publicDer)));
            if (signer.verify(signer.sign("{}")).isEmpty()) {
                throw new IllegalStateException(file + ": the PUBLIC KEY is not the PRIVATE KEY's");
            }
            return signer;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " does not hold an EC P-256 key pair", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
