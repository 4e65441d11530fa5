package io.fleetprov.emulator.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.IPAddress;

/** The emulator's certificate authority: issues the broker's TLS certificate and every claim and device certificate. */
public final class CertificateAuthority {
    static final String CA_FILE = "ca.pem";
    static final String CA_KEY_FILE = "ca-key.pem";
    private static final String CA_COMMON_NAME = "fleetprov iot-emulator CA";
    private static final String SERVER_COMMON_NAME = "fleetprov iot-emulator broker";
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");
    /** Tolerates clients whose clock runs slightly behind ours. */
    private static final Duration BACKDATE = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    /** {@link #privateKey} as Bouncy Castle's key object, which signs faster (see {@link Signing}). */
    private final PrivateKey signingKey;

    private final X500Name subject;
    private final String certificatePem;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;

    private CertificateAuthority(Clock clock, X509Certificate certificate, PrivateKey privateKey) {
        this.clock = clock;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.signingKey = Signing.forRepeatedSigning(privateKey);
        // From the encoded form: X500Name built from getName() reverses the RDN order and breaks chain validation.
        this.subject =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        this.certificatePem = Pem.certificate(certificate);
        this.authorityKeyIdentifier = authorityKeyIdentifier(certificate.getPublicKey());
    }

    /** The same for every certificate this CA issues: computed once, not per certificate. */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(PublicKey caKey) {
        try {
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute the CA's key identifier", e);
        }
    }

    /** A throw-away CA kept in memory (tests). */
    public static CertificateAuthority ephemeral(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        return new CertificateAuthority(clock, selfSigned(keyPair, clock.instant()), keyPair.getPrivate());
    }

    /**
     * Loads DIR/ca.pem + DIR/ca-key.pem, or creates them on first start, so devices provisioned before a restart
     * still chain to the CA afterwards.
     */
    public static CertificateAuthority persistent(Path dataDir, Clock clock) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Path certFile = dataDir.resolve(CA_FILE);
        Path keyFile = dataDir.resolve(CA_KEY_FILE);
        boolean hasCert = Files.exists(certFile);
        boolean hasKey = Files.exists(keyFile);
        if (hasCert && hasKey) {
            return load(certFile, keyFile, clock);
        }
        if (hasCert || hasKey) {
            // Regenerating would silently orphan every certificate issued so far; let a person decide.
            throw new IllegalStateException(
                    "incomplete CA in " + dataDir + ": found " + (hasCert ? CA_FILE : CA_KEY_FILE) + " without "
                            + (hasCert ? CA_KEY_FILE : CA_FILE) + "; restore it or remove both to create a new CA");
        }
        CertificateAuthority created = ephemeral(clock);
        try {
            Files.createDirectories(dataDir);
            // Key first: a crash between the two writes leaves a key without a certificate, which the check above
            // reports.
            writeAtomically(keyFile, Pem.privateKey(created.privateKey), PosixFilePermissions.fromString("rw-------"));
            writeAtomically(certFile, created.certificatePem, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CA to " + dataDir, e);
        }
        return created;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return certificatePem;
    }

    /** TLS server certificate for the broker; the loopback names are always present so local clients can verify the host. */
    public IssuedCertificate issueServerCertificate(Collection<String> extraHostNames) {
        Objects.requireNonNull(extraHostNames, "extraHostNames");
        Set<String> names = new LinkedHashSet<>(LOOPBACK_NAMES);
        for (String name : extraHostNames) {
            names.add(normalizeHostName(name));
        }
        List<GeneralName> sans = new ArrayList<>();
        for (String name : names) {
            sans.add(
                    IPAddress.isValid(name)
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
        }
        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        Instant now = now();
        try {
            X509v3CertificateBuilder builder = leafBuilder(
                    keyPair.getPublic(),
                    CsrBuilder.commonNameOnly(SERVER_COMMON_NAME),
                    now.minus(BACKDATE),
                    now.atOffset(ZoneOffset.UTC).plusYears(1).toInstant(),
                    KeyPurposeId.id_kp_serverAuth);
            builder.addExtension(
                    Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            return new IssuedCertificate(sign(builder), keyPair);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build the server certificate", e);
        }
    }

    /** Client (device or claim) certificate; the subject key comes from the caller (a CSR or a freshly generated pair). */
    public X509Certificate issueClientCertificate(PublicKey subjectKey, String commonName, Instant notAfter) {
        Objects.requireNonNull(subjectKey, "subjectKey");
        Objects.requireNonNull(notAfter, "notAfter");
        Instant notBefore = now().minus(BACKDATE);
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
        return sign(leafBuilder(
                subjectKey, CsrBuilder.commonNameOnly(commonName), notBefore, notAfter, KeyPurposeId.id_kp_clientAuth));
    }

    /** True if the certificate's signature verifies with this CA's key (says nothing about validity dates). */
    public boolean issued(X509Certificate candidate) {
        if (candidate == null) {
            return false;
        }
        try {
            candidate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + subject + ", id=" + CertificateIds.of(certificate) + "]";
    }

    private static X509Certificate selfSigned(KeyPair keyPair, Instant issuedAt) {
        Instant now = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        X500Name name = CsrBuilder.commonNameOnly(CA_COMMON_NAME);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            name,
                            randomSerial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(now.atOffset(ZoneOffset.UTC).plusYears(10).toInstant()),
                            name,
                            keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            return toCertificate(builder, keyPair.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    private X509v3CertificateBuilder leafBuilder(
            PublicKey subjectKey, X500Name subjectName, Instant notBefore, Instant notAfter, KeyPurposeId purpose) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            // What JcaX509v3CertificateBuilder(issuer, serial, Date, Date, subject, key) builds, with the validity
            // times encoded without SimpleDateFormat (CertificateTimes).
            return new X509v3CertificateBuilder(
                            subject,
                            randomSerial(),
                            CertificateTimes.of(notBefore),
                            CertificateTimes.of(notAfter),
                            subjectName,
                            SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
        } catch (NoSuchAlgorithmException | CertIOException e) {
            throw new IllegalStateException("cannot build a certificate for " + subjectName, e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) {
        return toCertificate(builder, signingKey);
    }

    private static X509Certificate toCertificate(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            // Converted to the JDK's own X509Certificate so TLS, CertPathValidator and KeyStore treat it natively.
            return new JcaX509CertificateConverter().getCertificate(builder.build(Signing.signer(signingKey)));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    /** 128 random bits, positive and non-zero, as RFC 5280 asks for and AWS does. */
    private static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String normalizeHostName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("host name must not be blank");
        }
        String trimmed = name.trim();
        // "[::1]" is how IPv6 hosts appear in URLs; the SAN holds the bare address.
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        // DNS names compare case-insensitively; lower case avoids duplicate SANs.
        return IPAddress.isValid(trimmed) ? trimmed : trimmed.toLowerCase(Locale.ROOT);
    }

    private static CertificateAuthority load(Path certFile, Path keyFile, Clock clock) {
        X509Certificate certificate;
        PrivateKey key;
        try {
            certificate = Pem.parseCertificate(Files.readString(certFile, StandardCharsets.US_ASCII));
            key = Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA from " + certFile.getParent(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("corrupt CA files in " + certFile.getParent() + ": " + e.getMessage(), e);
        }
        if (!keyMatches(key, certificate.getPublicKey())) {
            throw new IllegalStateException(keyFile + " does not belong to the certificate in " + certFile);
        }
        return new CertificateAuthority(clock, certificate, key);
    }

    private static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
        try {
            byte[] probe = "fleetprov CA key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void writeAtomically(Path target, String content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            // Created with the final mode so the key is never readable by others, not even briefly; set again because
            // umask may have narrowed it.
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(permissions));
            Files.setPosixFilePermissions(temp, permissions);
        } else {
            Files.createFile(temp);
        }
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
