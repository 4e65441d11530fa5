package io.fleetprov.local;

import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.IssuedCertificate;
import io.fleetprov.emulator.ca.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

/**
 * The local system's HTTPS: a CA of its own (DIR/ca.pem, kept across runs so that a browser told to trust it once
 * keeps trusting it) and, each run, a server certificate for localhost from it (DIR/NAME.pem.crt, DIR/NAME.private.key).
 * It is not the emulator's CA: that one stands for AWS IoT's, which has nothing to do with the service's web origin.
 */
record HttpsFiles(Path caFile, Path certificate, Path privateKey) {

    static HttpsFiles issue(Path dir, String name) throws IOException {
        CertificateAuthority ca = CertificateAuthority.persistent(dir, Clock.systemUTC());
        IssuedCertificate server = ca.issueServerCertificate(List.of());
        Path certificate = Files.writeString(
                dir.resolve(name + ".pem.crt"), Pem.certificate(server.certificate()) + ca.certificatePem());
        Path key = dir.resolve(name + ".private.key");
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, Pem.privateKey(server.keyPair().getPrivate()));
        return new HttpsFiles(dir.resolve("ca.pem"), certificate, key);
    }
}
