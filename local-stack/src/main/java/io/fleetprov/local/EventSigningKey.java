package io.fleetprov.local;

import io.fleetprov.protocol.event.EventKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/**
 * The demo's event-signing key pair, generated at every start: the private key for claim-service (mode 0600), the
 * public key for audit-service. A fresh key per run is enough, since each run has its own audit database.
 */
record EventSigningKey(Path privateKeyFile, Path publicKeyFile) {

    /** The kid claim-service signs under and audit-service trusts. */
    static final String KID = "claim-service";

    static EventSigningKey generate(Path directory) throws IOException {
        Files.createDirectories(directory);
        KeyPair pair = EventKeys.generate();
        Path privateFile = directory.resolve("event-signing-key.pem");
        Files.deleteIfExists(privateFile);
        Files.createFile(
                privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
                privateFile,
                EventKeys.pem(pair.getPrivate()),
                StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        Path publicFile = directory.resolve("event-signing-key.pub.pem");
        Files.writeString(publicFile, EventKeys.pem(pair.getPublic()), StandardCharsets.US_ASCII);
        return new EventSigningKey(privateFile, publicFile);
    }
}
