package io.fleetprov.simulator.limit;

import io.fleetprov.protocol.crypto.AwsLc;
import io.fleetprov.simulator.client.DeviceKeyType;
import io.fleetprov.simulator.client.DeviceP256;
import io.fleetprov.simulator.client.PemCodec;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.IPAddress;

/**
 * What this machine could provision at best: {@code cores / (t1 + t2 + t3 + 2·t4)}, the CPU a device's crypto
 * needs on both ends with nothing else counted (no MQTT, no registry, no JSON, no scheduling):
 * <ul>
 * <li>t1: a claim's key pair and certificate (CreateProvisioningClaim),</li>
 * <li>t2: the device's key pair and CSR,</li>
 * <li>t3: the CSR's verification and the device certificate (CreateCertificateFromCsr),</li>
 * <li>t4: one full mutual-TLS handshake, client and server CPU together; a device makes two (with its claim, then
 * with its own certificate).</li>
 * </ul>
 * t1–t3 are timed in this JVM with the crypto the emulator and simulator use (key pairs, the CA's signatures and
 * CSR checks on AWS-LC where it loads, else Bouncy Castle; the device's CSR signature on Bouncy Castle), as thread
 * CPU time averaged over many iterations after a warm-up. t4 comes from
 * {@link HandshakeCost#asTheSystemDoesIt}: the simulator's and the broker's TLS setup handshaking in this JVM.
 */
public final class MachineLimit {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The figures, in milliseconds of CPU.
     *
     * @param t4Comparisons other measures of a handshake, printed beside t4 and not in the formula
     */
    public record Result(
            int cores,
            DeviceKeyType keyType,
            double t1Ms,
            double t2Ms,
            double t3Ms,
            HandshakeCost.Result t4,
            List<HandshakeCost.Result> t4Comparisons) {

        public Result {
            t4Comparisons = List.copyOf(t4Comparisons);
        }

        public double perDeviceMs() {
            return t1Ms + t2Ms + t3Ms + 2 * t4.millisPerHandshake();
        }

        public double devicesPerSecond() {
            return cores * 1000.0 / perDeviceMs();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cores", cores);
            m.put("keyType", keyType.name());
            m.put("t1ClaimKeyAndCertificateMs", round(t1Ms));
            m.put("t2DeviceKeyAndCsrMs", round(t2Ms));
            m.put("t3CsrVerifyAndCertificateMs", round(t3Ms));
            m.put("t4HandshakeMs", round(t4.millisPerHandshake()));
            m.put("t4Method", t4.method());
            if (t4.hasSides()) {
                m.put("t4ClientMs", round(t4.clientMs()));
                m.put("t4ServerMs", round(t4.serverMs()));
            }
            if (!Double.isNaN(t4.processMs())) {
                m.put("t4ProcessCpuMs", round(t4.processMs()));
            }
            m.put("t4Handshakes", t4.handshakes());
            List<Map<String, Object>> comparisons = new ArrayList<>();
            for (HandshakeCost.Result other : t4Comparisons) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("handshakeMs", round(other.millisPerHandshake()));
                c.put("handshakes", other.handshakes());
                c.put("method", other.method());
                comparisons.add(c);
            }
            m.put("t4Comparisons", comparisons);
            m.put("devicesPerSecond", round(devicesPerSecond()));
            return m;
        }

        public String describe() {
            String sides =
                    t4.hasSides() ? String.format(" (client %.3f + server %.3f)", t4.clientMs(), t4.serverMs()) : "";
            return String.format(
                    "machine limit %.1f devices/s = %d cores / (t1 %.3f + t2 %.3f + t3 %.3f + 2 x t4 %.3f%s)"
                            + " ms CPU; t4 by %s",
                    devicesPerSecond(), cores, t1Ms, t2Ms, t3Ms, t4.millisPerHandshake(), sides, t4.method());
        }
    }

    private MachineLimit() {}

    public static Result measure(DeviceKeyType keyType, HandshakeCost.Result handshake) {
        return measure(keyType, handshake, List.of());
    }

    public static Result measure(
            DeviceKeyType keyType, HandshakeCost.Result handshake, List<HandshakeCost.Result> comparisons) {
        Authority ca = new Authority(keyType);
        AtomicLong serial = new AtomicLong(1);
        double t1 = cpuMillisPer(200, () -> {
            // The emulator's claim key: Bouncy Castle's P-256 (or the JDK's RSA), as the emulator makes it.
            KeyPair claimKey = keyType.generate();
            ca.issue(claimKey.getPublic(), "claim", serial.incrementAndGet());
        });
        String[] csr = new String[1];
        double t2 = cpuMillisPer(200, () -> csr[0] = PemCodec.csr(keyType.generate(), keyType, "sim-limit"));
        double t3 = cpuMillisPer(200, () -> ca.issue(ca.verifiedKey(csr[0]), "device", serial.incrementAndGet()));
        return new Result(Runtime.getRuntime().availableProcessors(), keyType, t1, t2, t3, handshake, comparisons);
    }

    /** Average thread CPU of {@code task} over {@code n} runs, after {@code n} runs to warm the JIT up. */
    static double cpuMillisPer(int n, Runnable task) {
        for (int i = 0; i < n; i++) {
            task.run();
        }
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            task.run();
        }
        return (THREADS.getCurrentThreadCpuTime() - start) / 1e6 / n;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** A CA of the emulator's kind: a self-signed root whose key signs every certificate. */
    static final class Authority {
        final KeyPair key;
        final X509Certificate certificate;
        private final String signatureAlgorithm;
        /** The key as AWS-LC's object, as the emulator's CA keeps it; null where AWS-LC does not load. */
        private final PrivateKey awsLcKey;

        Authority(DeviceKeyType keyType) {
            this.key = keyType.generate();
            this.awsLcKey =
                    AwsLc.provider().map(p -> translated(key.getPrivate(), p)).orElse(null);
            this.signatureAlgorithm = keyType == DeviceKeyType.EC_P256 ? "SHA256withECDSA" : "SHA256withRSA";
            // The emulator CA's extensions besides basic constraints (added in build): key usage, subject key id.
            this.certificate = build(
                    new X500Name("CN=fleetprov limit CA"),
                    key.getPublic(),
                    BigInteger.ONE,
                    b -> b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                            .addExtension(
                                    Extension.subjectKeyIdentifier,
                                    false,
                                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key.getPublic())));
        }

        X509Certificate issue(PublicKey subjectKey, String commonName, long serialNumber) {
            return build(new X500Name("CN=" + commonName), subjectKey, BigInteger.valueOf(serialNumber), b -> {});
        }

        /**
         * A leaf with the emulator CA's extensions (CertificateAuthority's leafBuilder): end entity, digital
         * signature, the given purpose, subject and authority key ids, and the host names as subject alternative
         * names (the broker's certificate: localhost, 127.0.0.1, ::1). The handshake sends and parses these bytes.
         */
        X509Certificate issueLeaf(
                PublicKey subjectKey, String commonName, long serialNumber, KeyPurposeId purpose, List<String> hosts) {
            return build(new X500Name("CN=" + commonName), subjectKey, BigInteger.valueOf(serialNumber), builder -> {
                JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                        .addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(subjectKey))
                        .addExtension(
                                Extension.authorityKeyIdentifier,
                                false,
                                ids.createAuthorityKeyIdentifier(certificate.getPublicKey()));
                if (!hosts.isEmpty()) {
                    GeneralName[] names = hosts.stream()
                            .map(h -> IPAddress.isValid(h)
                                    ? new GeneralName(GeneralName.iPAddress, h)
                                    : new GeneralName(GeneralName.dNSName, h))
                            .toArray(GeneralName[]::new);
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                }
            });
        }

        /** Adds extensions to a certificate being built. */
        private interface Extensions {
            void add(X509v3CertificateBuilder builder) throws Exception;
        }

        private X509Certificate build(
                X500Name subject, PublicKey subjectKey, BigInteger serialNumber, Extensions extensions) {
            try {
                Instant now = Instant.now();
                X500Name issuer = certificate == null
                        ? subject
                        : new X500Name(certificate.getSubjectX500Principal().getName());
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        issuer,
                        serialNumber,
                        java.util.Date.from(now.minusSeconds(60)),
                        java.util.Date.from(now.plusSeconds(86_400)),
                        subject,
                        subjectKey);
                if (certificate == null) {
                    builder.addExtension(
                            org.bouncycastle.asn1.x509.Extension.basicConstraints,
                            true,
                            new org.bouncycastle.asn1.x509.BasicConstraints(true));
                }
                extensions.add(builder);
                // As the emulator's CA signs: AWS-LC where it loads, else Bouncy Castle's P-256 for an EC key.
                ContentSigner signer = awsLcKey != null
                        ? new JcaContentSignerBuilder(signatureAlgorithm)
                                .setProvider(AwsLc.provider().get())
                                .build(awsLcKey)
                        : DeviceP256.accepts(key.getPrivate())
                                ? DeviceP256.signer(key.getPrivate())
                                : new JcaContentSignerBuilder(signatureAlgorithm).build(key.getPrivate());
                return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            } catch (Exception e) {
                throw new IllegalStateException("cannot issue a certificate", e);
            }
        }

        private static PrivateKey translated(PrivateKey key, Provider provider) {
            try {
                return (PrivateKey)
                        KeyFactory.getInstance(key.getAlgorithm(), provider).translateKey(key);
            } catch (GeneralSecurityException e) {
                return key;
            }
        }

        /** An EC key's signature on AWS-LC, as the emulator checks it where AWS-LC loads. */
        private static boolean awsLcValid(JcaPKCS10CertificationRequest request)
                throws IOException, GeneralSecurityException {
            Signature signature =
                    Signature.getInstance("SHA256withECDSA", AwsLc.provider().get());
            signature.initVerify(request.getPublicKey());
            signature.update(
                    request.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
            return signature.verify(request.getSignature());
        }

        /** Elsewhere an EC key's signature on Bouncy Castle's lightweight ECDSA, as the emulator checks it there. */
        private static boolean bouncyCastleValid(JcaPKCS10CertificationRequest request, boolean ec)
                throws IOException, GeneralSecurityException, OperatorCreationException, PKCSException {
            ContentVerifierProvider verifier = ec
                    ? new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder())
                            .build(PublicKeyFactory.createKey(request.getSubjectPublicKeyInfo()))
                    : new JcaContentVerifierProviderBuilder().build(request.getPublicKey());
            return request.isSignatureValid(verifier);
        }

        /** Parses and verifies a CSR as CreateCertificateFromCsr does, returning its public key. */
        PublicKey verifiedKey(String csrPem) {
            try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
                var request = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject());
                boolean ec = X9ObjectIdentifiers.id_ecPublicKey.equals(
                        request.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm());
                if (!(ec && AwsLc.provider().isPresent() ? awsLcValid(request) : bouncyCastleValid(request, ec))) {
                    throw new IllegalStateException("CSR signature does not verify");
                }
                return request.getPublicKey();
            } catch (IOException | OperatorCreationException | PKCSException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot verify the CSR", e);
            }
        }
    }
}
