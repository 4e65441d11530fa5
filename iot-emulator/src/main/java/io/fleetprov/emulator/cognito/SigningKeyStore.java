package io.fleetprov.emulator.cognito;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One RSA-2048 signing key per user pool. With a data directory the key is kept in
 * {@code dataDir/cognito/<poolId>.jwk.json} (owner-only), so tokens issued before a restart still verify after it.
 */
final class SigningKeyStore {

    private final Path directory;
    private final Map<String, RSAKey> keys = new ConcurrentHashMap<>();

    /** @param dataDir nullable: keys then live only in memory */
    SigningKeyStore(Path dataDir) {
        this.directory = dataDir == null ? null : dataDir.resolve("cognito");
    }

    /** The pool's key, loaded from disk or created on first use. {@code poolId} must already be validated. */
    RSAKey keyFor(String poolId) {
        return keys.computeIfAbsent(poolId, this::loadOrCreate);
    }

    private RSAKey loadOrCreate(String poolId) {
        if (directory == null) {
            return generate();
        }
        Path file = directory.resolve(poolId + ".jwk.json");
        try {
            if (Files.exists(file)) {
                return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            RSAKey key = generate();
            write(file, key.toJSONString());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the signing key of user pool " + poolId, e);
        } catch (ParseException e) {
            throw new IllegalStateException("corrupt signing key file " + file, e);
        }
    }

    private void write(Path file, String json) throws IOException {
        createPrivateDirectory(directory);
        Path temp = createPrivateFile(directory.resolve(file.getFileName() + ".tmp"));
        Files.writeString(temp, json, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (isPosix(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static Path createPrivateFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            // The permission is set at creation, so the private key is never readable by others, not even briefly.
            if (isPosix(file.getParent())) {
                return Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("concurrent writer on " + file, e);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static RSAKey generate() {
        try {
            // A thumbprint kid is stable for a given key, so it survives reloading from disk unchanged.
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }
}
