package io.fleetprov.simulator.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a provisioned device's identity the way AWS's tools name it: {@code <thing>/certificate.pem.crt},
 * {@code <thing>/private.pem.key} (created with mode 0600 before any byte is written) and
 * {@code <thing>/certificate-id}.
 */
public final class CredentialFiles {

    private CredentialFiles() {}

    public static Path write(Path dir, ProvisionedDevice device) throws IOException {
        Path deviceDir = Files.createDirectories(dir.resolve(device.thingName()));
        Files.writeString(
                deviceDir.resolve("certificate.pem.crt"),
                device.credentials().certificatePem(),
                StandardCharsets.US_ASCII);
        Path key = deviceDir.resolve("private.pem.key");
        try {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own protection applies.
            Files.deleteIfExists(key);
            Files.createFile(key);
        }
        Files.writeString(
                key,
                device.credentials().privateKeyPem(),
                StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        if (device.credentials().certificateId() != null) {
            Files.writeString(
                    deviceDir.resolve("certificate-id"), device.credentials().certificateId() + "\n");
        }
        return deviceDir;
    }
}
