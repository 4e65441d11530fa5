package io.fleetprov.claims.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All of claim-service's own settings, under {@code fleetprov.*}. */
@ConfigMapping(prefix = "fleetprov")
public interface ClaimServiceConfig {

    Claims claims();

    Aws aws();

    Hook hook();

    Quota quota();

    Events events();

    Web web();

    TokenCache tokenCache();

    Tls tls();

    interface Claims {
        /** A serial number must match this pattern as a whole. */
        @WithDefault("[A-Za-z0-9][A-Za-z0-9_.:-]*")
        String serialPattern();

        @WithDefault("1")
        int serialMinLength();

        @WithDefault("64")
        int serialMaxLength();

        /** The template used when a request names none; it must be allowed for the caller's groups too. */
        String defaultTemplate();

        /** A requested template name must match this as a whole: AWS's own bound on template names. */
        @WithDefault("[0-9A-Za-z_-]{1,36}")
        String templatePattern();

        /** Cognito groups whose members may ask for a claim with {@code "replace": true}. */
        @WithDefault("device-replacers")
        List<String> replacerGroups();

        /** How often provisioned replacements are looked for, to retire the old device (a scheduler interval). */
        @WithDefault("5s")
        String replacementInterval();

        /**
         * How long after its hook allowed it a replacement device may take to register; after that the old device
         * is left as it is and the replacement is recorded as not registered.
         */
        @WithDefault("PT10M")
        Duration replacementTimeout();

        /** Cognito group → provisioning templates its members may ask claims for. */
        Map<String, List<String>> templatesByGroup();

        /** The device's RegisterThing parameter that must equal the claim's serial number. */
        @WithDefault("SerialNumber")
        String serialParameter();

        /** The device parameter recorded as the thing name (the sample templates name the thing after it). */
        @WithDefault("SerialNumber")
        String thingNameParameter();

        /**
         * AES key (base64, 16/24/32 bytes) that encrypts claim bundles kept for {@code Idempotency-Key} retries until
         * they expire. Without it a random key per process is used: retries then work only against the same process.
         */
        Optional<String> bundleKey();

        /** How often claims past their expiry are marked EXPIRED (a Quarkus scheduler interval, e.g. 30s). */
        @WithDefault("30s")
        String expiryInterval();

        /**
         * Claim requests in progress at once; more are answered 503 service-busy with Retry-After before any
         * database work. Keep it below {@code quarkus.datasource.jdbc.max-size}: the rest of the pool is the hook's.
         */
        @WithDefault("24")
        int maxInFlight();
    }

    /** The installer web app (web package). */
    interface Web {
        /**
         * The CA certificate (PEM) a device trusts for the MQTT endpoint, put in the claim bundle it downloads
         * (AmazonRootCA1.pem on AWS, the emulator's ca.pem locally). Unset: the CA this service trusts for MQTT.
         */
        Optional<java.nio.file.Path> deviceCaFile();

        /** How often the installer page asks for a claim's status while it waits for the device. */
        @WithDefault("PT2S")
        Duration statusPollInterval();
    }

    interface Aws {
        /** The IoT control-plane endpoint; unset on AWS (the SDK derives it from the region). */
        Optional<URI> endpointOverride();

        /** Unset: the SDK's default region chain. */
        Optional<String> region();

        /** The MQTT endpoint handed to installers; unset: DescribeEndpoint(iot:Data-ATS), once. */
        Optional<String> iotEndpoint();

        /** Throttled CreateProvisioningClaim calls are retried with jittered backoff until this deadline. */
        @WithDefault("PT3S")
        Duration callDeadline();

        @WithDefault("6")
        int maxAttempts();

        @WithDefault("PT0.1S")
        Duration backoffBase();

        @WithDefault("PT1S")
        Duration backoffMax();

        /** The Retry-After given with a 503 when AWS stays unavailable. */
        @WithDefault("PT2S")
        Duration retryAfter();

        /** Service-wide limits on CreateProvisioningClaim, which keep this service under the account's quota. */
        CreateClaim createClaim();
    }

    /**
     * A bulkhead and a fixed-window rate limit around CreateProvisioningClaim (client.CallLimits); beyond them a
     * claim request is answered 503 service-busy with Retry-After.
     */
    interface CreateClaim {
        /** Calls in progress at once. */
        @WithDefault("16")
        int bulkhead();

        /** Calls waiting for one in progress to end, beyond which they are refused at once. */
        @WithDefault("8")
        int bulkheadWaitingQueue();

        /** Calls let through per window. */
        @WithDefault("50")
        int rateLimit();

        @WithDefault("PT1S")
        Duration rateLimitWindow();
    }

    interface Hook {
        @WithDefault("shared-secret")
        HookAuth auth();

        @WithDefault("X-Fleetprov-Hook-Secret")
        String secretHeader();

        /** Required with {@code auth=shared-secret}. */
        Optional<String> secret();

        /** With {@code auth=mtls}: the allowed client-certificate subjects (RFC 2253 names). */
        Optional<List<String>> allowedSubjects();
    }

    enum HookAuth {
        SHARED_SECRET,
        MTLS
    }

    /**
     * Bearer tokens quarkus-oidc verified, remembered so that the same token's next request skips parsing and the
     * RS256 check (rest.VerifiedBearerTokens).
     */
    interface TokenCache {
        /** Tokens remembered at once; 0 turns the cache off. */
        @WithDefault("10000")
        int maxEntries();

        /**
         * How long a verified token is remembered at most, and never past its own {@code exp}: a signing key the
         * pool withdraws from its JWKS stops admitting tokens already seen within this time.
         */
        @WithDefault("PT5M")
        Duration maxAge();
    }

    interface Tls {
        /**
         * The TLS engine of the HTTPS server and the MQTT clients: {@code openssl} (BoringSSL, from
         * netty-tcnative; the JDK's engine where it does not load) or {@code jdk}.
         */
        @WithDefault("openssl")
        TlsEngine engine();
    }

    enum TlsEngine {
        OPENSSL,
        JDK
    }

    /** Per-installer quotas; 0 is no quota (for a fleet's own provisioning account, not for people). */
    interface Quota {
        /** Claim requests an installer may make in any minute. */
        @WithDefault("10")
        int claimsPerMinute();

        /** Issued, unused and unexpired claims an installer may hold at once. */
        @WithDefault("20")
        int outstanding();
    }

    interface Events {
        @WithDefault("claim-service")
        String source();

        @WithDefault("200")
        int batchSize();

        /** An event sent but not seen back from the broker within this time is sent again. */
        @WithDefault("PT10S")
        Duration redeliverAfter();

        /** How often the outbox is relayed (a Quarkus scheduler interval, e.g. 1s). */
        @WithDefault("1s")
        String relayInterval();

        /**
         * How long a delivered (confirmed) event stays in the outbox; audit-service holds the record. Dead letters
         * and events not yet delivered stay until they are.
         */
        @WithDefault("P7D")
        Duration retention();

        /** Sends without a confirmation after which an event is given up on (dead-lettered). */
        @WithDefault("10")
        int maxAttempts();

        /**
         * An encoded event larger than this is dead-lettered without being sent: the broker would drop the
         * connection over it (the relay's {@code max-message-size} is 128 KB, topic and headers included).
         */
        @WithDefault("126976")
        int maxPayloadBytes();

        /**
         * The EC P-256 private key (PEM, PKCS#8 {@code PRIVATE KEY}) every event is signed with (JWS, ES256). Set
         * this or {@link #signingKeyFile()}, not both; without either the service does not start.
         */
        Optional<String> signingKey();

        /** A file holding {@link #signingKey()} (say, a mounted Kubernetes Secret). */
        Optional<Path> signingKeyFile();

        /** The JWS {@code kid}: the name consumers trust the public key under ({@code audit.events.trusted-keys.<kid>}). */
        @WithDefault("claim-service")
        String kid();
    }
}
