package io.fleetprov.emulator.bench;

import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.CertificateIds;
import io.fleetprov.emulator.ca.CsrBuilder;
import io.fleetprov.emulator.ca.CsrValidator;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.registry.Arns;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.template.TemplateEngine;
import io.fleetprov.protocol.crypto.AwsLc;
import io.netty.handler.ssl.util.LazyX509Certificate;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * What the emulator's own crypto costs per operation, next to OpenSSL on the same core: CSR checks
 * (CreateCertificateFromCsr), certificate signing (every claim and device certificate), and the client-certificate
 * signature check the broker used to run at each handshake. Each figure is thread CPU time in this JVM, after a
 * warm-up, divided by the operations done; OpenSSL's is {@code openssl speed}'s own per-operation figure (CPU time as
 * well), so the ratio says how many times OpenSSL's cost the emulator pays. Raw JCA signatures are measured with the
 * JDK's provider, with Bouncy Castle's and with AWS-LC's where it loads (never registered globally), to show what
 * each provider costs; the emulator's own rows use AWS-LC where it loads.
 *
 * <p>Callable from other commands: {@link #run(Duration)} returns the figures; {@link Result#report()} prints them.
 */
public final class CryptoBenchmark {

    /** One measured operation; {@code opensslMicros} is OpenSSL's cost for the same primitive, when measured. */
    public record Figure(
            String operation, String implementation, double micros, long operations, Optional<Double> opensslMicros) {

        /** How many times OpenSSL's cost this implementation pays (1.0 = as fast as OpenSSL). */
        public Optional<Double> ratioToOpenssl() {
            return opensslMicros.map(o -> micros / o);
        }
    }

    /** OpenSSL's per-operation figures, from {@code openssl speed}; empty when openssl could not be run. */
    public record OpensslSpeed(
            String version, double ecdsaP256SignMicros, double ecdsaP256VerifyMicros, double rsa2048VerifyMicros) {}

    public record Result(List<Figure> figures, Optional<OpensslSpeed> openssl, Duration perOperation) {

        /** Fixed-width table, one line per figure, ratios to OpenSSL where measured. */
        public String report() {
            StringBuilder out = new StringBuilder();
            out.append(
                    String.format(
                            Locale.ROOT,
                            "crypto per operation, thread CPU on one core, %d ms each after warm-up; OpenSSL: %s%n",
                            perOperation.toMillis(),
                            openssl.map(o -> "openssl speed -seconds " + perOperation.toSeconds()
                                            + " ecdsap256 rsa2048 (" + o.version() + ")")
                                    .orElse(
                                            "not measured (not asked for, openssl not on PATH, or its output not understood)")));
            out.append(String.format(
                    Locale.ROOT, "%-58s %-14s %10s %10s %8s%n", "operation", "by", "us/op", "openssl", "ratio"));
            for (Figure f : figures) {
                out.append(String.format(
                        Locale.ROOT,
                        "%-58s %-14s %10.1f %10s %8s%n",
                        f.operation(),
                        f.implementation(),
                        f.micros(),
                        f.opensslMicros()
                                .map(o -> String.format(Locale.ROOT, "%.1f", o))
                                .orElse("-"),
                        f.ratioToOpenssl()
                                .map(r -> String.format(Locale.ROOT, "%.2fx", r))
                                .orElse("-")));
            }
            return out.toString();
        }
    }

    private static final byte[] MESSAGE = new byte[300]; // about a CSR's or a certificate's signed part
    /** More than the JDK's CertificateFactory caches (750), so every check parses and verifies afresh. */
    private static final int HANDSHAKE_CERTIFICATES = 1000;

    private final Duration perOperation;
    private final Duration warmUp;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private CryptoBenchmark(Duration perOperation) {
        this.perOperation = perOperation;
        this.warmUp = perOperation.dividedBy(3).isZero() ? perOperation : perOperation.dividedBy(3);
    }

    /** Measures every figure for about {@code perOperation} each (plus a third of it to warm up), then openssl. */
    public static Result run(Duration perOperation) {
        return run(perOperation, true);
    }

    /** As {@link #run(Duration)}; without openssl when {@code withOpenssl} is false (no ratios then). */
    public static Result run(Duration perOperation, boolean withOpenssl) {
        if (perOperation.isNegative() || perOperation.isZero()) {
            throw new IllegalArgumentException("perOperation must be positive: " + perOperation);
        }
        try {
            return new CryptoBenchmark(perOperation).measure(withOpenssl);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate P-256 keys", e);
        }
    }

    private Result measure(boolean withOpenssl) throws GeneralSecurityException {
        Optional<OpensslSpeed> openssl = withOpenssl ? opensslSpeed(perOperation) : Optional.empty();
        Optional<Double> ecSign = openssl.map(OpensslSpeed::ecdsaP256SignMicros);
        Optional<Double> ecVerify = openssl.map(OpensslSpeed::ecdsaP256VerifyMicros);
        Optional<Double> rsaVerify = openssl.map(OpensslSpeed::rsa2048VerifyMicros);

        Clock clock = Clock.systemUTC();
        CertificateAuthority ca = CertificateAuthority.ephemeral(clock);
        KeyPair ecDevice = KeyAlgorithm.EC_P256.generate();
        KeyPair rsaDevice = KeyAlgorithm.RSA_2048.generate();
        String ecCsr = CsrBuilder.build(ecDevice, "bench");
        String rsaCsr = CsrBuilder.build(rsaDevice, "bench");
        Instant notAfter = clock.instant().plus(Duration.ofDays(1));
        X509Certificate deviceCertificate = ca.issueClientCertificate(ecDevice.getPublic(), "bench", notAfter);
        byte[] deviceDer = encoded(deviceCertificate);
        Registry registry = new Registry(clock, new Arns("us-east-1", "000000000000"), new TemplateEngine());
        registry.certificates().registerIssued(deviceCertificate, CertificateStatus.ACTIVE, null);
        Provider bc = new BouncyCastleProvider();
        Optional<Provider> awsLc = AwsLc.provider();

        List<Figure> figures = new ArrayList<>();
        figures.add(time(
                "CSR check, EC P-256 (CsrValidator: PEM, key, ECDSA verify)",
                "emulator",
                ecVerify,
                () -> CsrValidator.validate(ecCsr)));
        figures.add(time("ECDSA P-256 verify, SHA-256", "JDK SunEC", ecVerify, verifier(ecDevice, null)));
        figures.add(time("ECDSA P-256 verify, SHA-256", "Bouncy Castle", ecVerify, verifier(ecDevice, bc)));
        awsLc.ifPresent(
                p -> figures.add(time("ECDSA P-256 verify, SHA-256", "AWS-LC", ecVerify, verifier(ecDevice, p))));
        // Each CSR brings a new key: decoded afresh here, as CsrValidator does, since Bouncy Castle keeps per-point
        // precomputation on a key object it has verified with before.
        figures.add(time(
                "ECDSA P-256 verify, SHA-256, new key as BC's",
                "Bouncy Castle",
                ecVerify,
                freshKeyVerifier(ecDevice, bc)));
        // What every CreateProvisioningClaim and CreateKeysAndCertificate adds: a new pair and its private key PEM.
        KeyPairGenerator jdkGenerator = KeyPairGenerator.getInstance("EC");
        jdkGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        figures.add(time(
                "EC P-256 key pair (KeyAlgorithm.generate)",
                "emulator",
                Optional.empty(),
                KeyAlgorithm.EC_P256::generate));
        figures.add(time("EC P-256 key pair", "JDK SunEC", Optional.empty(), jdkGenerator::generateKeyPair));
        figures.add(time(
                "EC private key PEM, point from the pair (Pem.privateKey)",
                "emulator",
                Optional.empty(),
                () -> Pem.privateKey(ecDevice)));
        figures.add(time(
                "EC private key PEM, point recomputed (before)",
                "emulator",
                Optional.empty(),
                () -> Pem.privateKey(ecDevice.getPrivate())));
        figures.add(time(
                "certificate signing, EC P-256 CA (issueClientCertificate)",
                "emulator",
                ecSign,
                () -> ca.issueClientCertificate(ecDevice.getPublic(), "bench", notAfter)));
        figures.add(time("ECDSA P-256 sign, SHA-256", "JDK SunEC", ecSign, signer(ecDevice, null)));
        figures.add(time("ECDSA P-256 sign, SHA-256", "Bouncy Castle", ecSign, signer(ecDevice, bc)));
        figures.add(time(
                "ECDSA P-256 sign, SHA-256, key as BC's",
                "Bouncy Castle",
                ecSign,
                signer(translated(ecDevice, bc), bc)));
        awsLc.ifPresent(p -> figures.add(time(
                "ECDSA P-256 sign, SHA-256, key as AWS-LC's", "AWS-LC", ecSign, signer(translated(ecDevice, p), p))));
        figures.add(
                time("CSR check, RSA-2048 (CsrValidator)", "emulator", rsaVerify, () -> CsrValidator.validate(rsaCsr)));
        figures.add(time("RSA-2048 verify, SHA-256", "JDK SunRsaSign", rsaVerify, verifier(rsaDevice, null)));
        figures.add(time("RSA-2048 verify, SHA-256", "Bouncy Castle", rsaVerify, verifier(rsaDevice, bc)));
        awsLc.ifPresent(
                p -> figures.add(time("RSA-2048 verify, SHA-256", "AWS-LC", rsaVerify, verifier(rsaDevice, p))));
        // As netty's OpenSSL engine hands the broker the client's certificate: DER bytes, parsed only when asked. The
        // JDK's CertificateFactory keeps the last 750 certificates it parsed, and each remembers its last verification,
        // so a certificate seen again is nearly free (the claim every device shares); a device certificate connecting
        // for the first time is not. Cycling through more certificates than that cache holds measures the latter.
        byte[][] fresh = new byte[HANDSHAKE_CERTIFICATES][];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = encoded(ca.issueClientCertificate(ecDevice.getPublic(), "bench-" + i, notAfter));
        }
        int[] next = {0};
        figures.add(time("client cert at handshake, before: X509Certificate.verify", "JDK SunEC", ecVerify, () -> {
            byte[] der = fresh[next[0]++ % fresh.length];
            return ca.issued(new LazyX509Certificate(der)) ? CertificateIds.of(new LazyX509Certificate(der)) : null;
        }));
        figures.add(time(
                "client cert at handshake, now: SHA-256 id + registry",
                "emulator",
                Optional.empty(),
                () -> registry.certificates().find(CertificateIds.of(new LazyX509Certificate(deviceDer)))));
        return new Result(List.copyOf(figures), openssl, perOperation);
    }

    /** One operation, repeated; what it returns is kept from the optimiser. */
    @FunctionalInterface
    private interface Operation {
        Object run() throws GeneralSecurityException;
    }

    private Figure time(String name, String by, Optional<Double> openssl, Operation operation) {
        repeat(operation, warmUp);
        long[] cpuAndCount = repeat(operation, perOperation);
        double micros = cpuAndCount[0] / 1000.0 / cpuAndCount[1];
        return new Figure(name, by, micros, cpuAndCount[1], openssl);
    }

    /** Runs {@code operation} until this thread has spent {@code budget} of CPU; returns {CPU ns, operations}. */
    private long[] repeat(Operation operation, Duration budget) {
        long start = threads.getCurrentThreadCpuTime();
        long end = start + budget.toNanos();
        long count = 0;
        long now;
        int sink = 0;
        try {
            do {
                Object result = operation.run();
                sink += result == null ? 0 : 1;
                count++;
                now = threads.getCurrentThreadCpuTime();
            } while (now < end);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("benchmark operation failed", e);
        }
        if (sink < 0) {
            throw new AssertionError();
        }
        return new long[] {now - start, count};
    }

    private static Operation verifier(KeyPair keyPair, Provider provider) {
        byte[] signature;
        try {
            signature = sign(keyPair, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the signature to verify", e);
        }
        return () -> {
            Signature verifier = signature(keyPair, provider);
            verifier.initVerify(keyPair.getPublic());
            verifier.update(MESSAGE);
            if (!verifier.verify(signature)) {
                throw new IllegalStateException("benchmark signature does not verify");
            }
            return verifier;
        };
    }

    /** The same keys as the provider's own objects, as {@code Signing.forRepeatedSigning} makes the CA's. */
    private static KeyPair translated(KeyPair keyPair, Provider provider) {
        try {
            KeyFactory factory = KeyFactory.getInstance(keyPair.getPublic().getAlgorithm(), provider);
            return new KeyPair((PublicKey) factory.translateKey(keyPair.getPublic()), (PrivateKey)
                    factory.translateKey(keyPair.getPrivate()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Operation freshKeyVerifier(KeyPair keyPair, Provider provider) {
        byte[] signature;
        try {
            signature = sign(keyPair, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the signature to verify", e);
        }
        byte[] encodedKey = keyPair.getPublic().getEncoded();
        return () -> {
            PublicKey key = KeyFactory.getInstance("EC", provider).generatePublic(new X509EncodedKeySpec(encodedKey));
            Signature verifier = signature(keyPair, provider);
            verifier.initVerify(key);
            verifier.update(MESSAGE);
            if (!verifier.verify(signature)) {
                throw new IllegalStateException("benchmark signature does not verify");
            }
            return verifier;
        };
    }

    private static Operation signer(KeyPair keyPair, Provider provider) {
        return () -> sign(keyPair, provider);
    }

    private static byte[] sign(KeyPair keyPair, Provider provider) throws GeneralSecurityException {
        Signature signer = signature(keyPair, provider);
        signer.initSign(keyPair.getPrivate());
        signer.update(MESSAGE);
        return signer.sign();
    }

    private static Signature signature(KeyPair keyPair, Provider provider) throws GeneralSecurityException {
        String algorithm = "RSA".equals(keyPair.getPublic().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        return provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code openssl speed -seconds N ecdsap256 rsa2048} and reads its sign/s and verify/s. Empty when openssl is
     * missing, fails, or prints something else.
     */
    static Optional<OpensslSpeed> opensslSpeed(Duration seconds) {
        try {
            Process version = new ProcessBuilder("openssl", "version")
                    .redirectErrorStream(true)
                    .start();
            String versionText = read(version.getInputStream()).trim();
            version.waitFor(10, TimeUnit.SECONDS);
            Process speed = new ProcessBuilder(
                            "openssl",
                            "speed",
                            "-seconds",
                            Long.toString(Math.max(1, seconds.toSeconds())),
                            "ecdsap256",
                            "rsa2048")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output = read(speed.getInputStream());
            if (!speed.waitFor(5, TimeUnit.MINUTES) || speed.exitValue() != 0) {
                speed.destroy();
                return Optional.empty();
            }
            return parseSpeed(versionText, output);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Reads {@code openssl speed}'s summary lines, {@code rsa 2048 bits 0.000521s 0.000034s 1918.8 29429.4} and
     * {@code 256 bits ecdsa (nistp256) 0.0000s 0.0001s 22465.7 7348.5}: after the times (suffixed "s") come sign/s
     * and verify/s (newer OpenSSL adds further rates after them for RSA).
     */
    static Optional<OpensslSpeed> parseSpeed(String version, String output) {
        double[] ec = null;
        double[] rsa = null;
        for (String line : output.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.contains("ecdsa (nistp256)")) {
                ec = rates(trimmed.substring(trimmed.indexOf("(nistp256)") + "(nistp256)".length()));
            } else if (trimmed.startsWith("rsa 2048 bits")) {
                rsa = rates(trimmed.substring("rsa 2048 bits".length()));
            }
        }
        if (ec == null || rsa == null) {
            return Optional.empty();
        }
        return Optional.of(new OpensslSpeed(version, 1e6 / ec[0], 1e6 / ec[1], 1e6 / rsa[1]));
    }

    /** The first two plain numbers (not times, which end in "s"): sign/s and verify/s; null when absent. */
    private static double[] rates(String columns) {
        List<Double> numbers = new ArrayList<>();
        for (String token : columns.trim().split("\\s+")) {
            if (!token.endsWith("s")) {
                try {
                    numbers.add(Double.parseDouble(token));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        if (numbers.size() < 2 || numbers.get(0) <= 0 || numbers.get(1) <= 0) {
            return null;
        }
        return new double[] {numbers.get(0), numbers.get(1)};
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
