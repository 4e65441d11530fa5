package io.fleetprov.claims.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.protocol.claim.ClaimResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A claim as the files a device (or the AWS IoT Device SDK samples) expects: {@code certificate.pem.crt},
 * {@code private.key}, the CA that signs the MQTT endpoint's certificate, and {@code config.json} with the endpoint,
 * template and serial number.
 */
@ApplicationScoped
public class BundleZip {

    static final String CERTIFICATE = "certificate.pem.crt";
    static final String PRIVATE_KEY = "private.key";
    static final String CONFIG = "config.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path caFile;

    public BundleZip(
            ClaimServiceConfig config,
            @ConfigProperty(name = "quarkus.tls.mqtt.trust-store.pem.certs") String mqttTrustStore) {
        this.caFile = config.web().deviceCaFile().orElse(Path.of(mqttTrustStore));
    }

    /** The CA file's name in the zip: AmazonRootCA1.pem on AWS, the emulator's ca.pem locally. */
    String caName() {
        return caFile.getFileName().toString();
    }

    public byte[] zip(String serialNumber, ClaimResponse bundle) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("endpoint", bundle.iotEndpoint());
        config.put("port", 8883);
        config.put("templateName", bundle.templateName());
        config.put("serialNumber", serialNumber);
        config.put("claimCertificateId", bundle.certificateId());
        config.put(
                "expiresAt",
                bundle.expiresAt() == null ? null : bundle.expiresAt().toString());
        config.put("certificateFile", CERTIFICATE);
        config.put("privateKeyFile", PRIVATE_KEY);
        config.put("caFile", caName());
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                ZipOutputStream zip = new ZipOutputStream(out)) {
            entry(zip, CERTIFICATE, bundle.certificatePem().getBytes(StandardCharsets.US_ASCII));
            entry(zip, PRIVATE_KEY, bundle.privateKey().getBytes(StandardCharsets.US_ASCII));
            entry(zip, caName(), Files.readAllBytes(caFile));
            entry(zip, CONFIG, JSON.writeValueAsBytes(config));
            zip.finish();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the claim bundle zip", e);
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
