package io.fleetprov.emulator;

import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.faults.FaultSettings;
import io.fleetprov.emulator.provisioning.HookUrlScope;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run the emulator. Defaults follow AWS: claims live 5 minutes, ownership tokens 1 hour, hooks get 5
 * seconds, keys are RSA-2048; no throttling. Port 0 picks a free port.
 *
 * @param dataDir        where the CA, signing keys and service identities' certificates persist; null keeps
 *                       everything in memory (tests)
 * @param bindHost       address the broker and HTTP server listen on
 * @param mqttAlpnPort   a second MQTT port requiring ALPN {@code x-amzn-mqtt-ca}, as AWS IoT's 443; negative: none
 * @param advertisedHost host name given to clients (endpoints.json, DescribeEndpoint); must be in the server
 *                       certificate, which always covers localhost and 127.0.0.1
 * @param hostNames      extra names for the broker's server certificate
 * @param hookHeaders    headers sent with pre-provisioning hook calls (a shared secret, typically)
 * @param hookHeaderUrls URL prefixes the hook headers are limited to; empty sends them to every hook URL
 * @param accessKeys     access key id → secret; when not empty, the HTTP API verifies SigV4 signatures strictly
 *                       and refuses requests that are unsigned or signed by other keys
 */
public record EmulatorConfig(
        Path dataDir,
        String bindHost,
        String advertisedHost,
        int mqttPort,
        int mqttAlpnPort,
        int httpPort,
        List<String> hostNames,
        String region,
        String accountId,
        KeyAlgorithm keyAlgorithm,
        int keyPoolSize,
        Duration claimLifetime,
        Duration tokenLifetime,
        FaultSettings faults,
        Map<String, String> hookHeaders,
        List<String> hookHeaderUrls,
        Path seedFile,
        Clock clock,
        Map<String, String> accessKeys) {

    public EmulatorConfig {
        hostNames = List.copyOf(hostNames);
        hookHeaders = Map.copyOf(hookHeaders);
        hookHeaderUrls = List.copyOf(hookHeaderUrls);
        accessKeys = new RedactedSecrets(accessKeys);
    }

    /** An immutable map whose {@code toString} shows key ids only, so that logging a config never leaks a secret. */
    private static final class RedactedSecrets extends java.util.AbstractMap<String, String> {
        private final Map<String, String> secrets;

        RedactedSecrets(Map<String, String> secrets) {
            this.secrets = Map.copyOf(secrets);
        }

        @Override
        public java.util.Set<Entry<String, String>> entrySet() {
            return secrets.entrySet();
        }

        @Override
        public String get(Object key) {
            return secrets.get(key);
        }

        @Override
        public String toString() {
            return secrets.keySet() + " (secrets redacted)";
        }
    }

    /** Strict SigV4: signatures are verified against {@link #accessKeys()}. */
    public boolean strictSigV4() {
        return !accessKeys.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDir = dataDir;
        b.bindHost = bindHost;
        b.advertisedHost = advertisedHost;
        b.mqttPort = mqttPort;
        b.mqttAlpnPort = mqttAlpnPort;
        b.httpPort = httpPort;
        b.hostNames = new ArrayList<>(hostNames);
        b.region = region;
        b.accountId = accountId;
        b.keyAlgorithm = keyAlgorithm;
        b.keyPoolSize = keyPoolSize;
        b.claimLifetime = claimLifetime;
        b.tokenLifetime = tokenLifetime;
        b.hookTimeout = Duration.ofMillis(faults.hookTimeoutMillis());
        b.throttleRates = new LinkedHashMap<>(faults.throttle());
        b.latency = Duration.ofMillis(faults.latencyMillis());
        b.dropAcceptedFraction = faults.dropAcceptedFraction();
        b.disconnectAfterCreateFraction = faults.disconnectAfterCreateFraction();
        b.hookHeaders = new LinkedHashMap<>(hookHeaders);
        b.hookHeaderUrls = new ArrayList<>(hookHeaderUrls);
        b.seedFile = seedFile;
        b.clock = clock;
        b.accessKeys = new LinkedHashMap<>(accessKeys);
        return b;
    }

    public static final class Builder {
        private Path dataDir;
        private String bindHost = "127.0.0.1";
        private String advertisedHost = "localhost";
        private int mqttPort = 8883;
        private int mqttAlpnPort = -1;
        private int httpPort = 4566;
        private List<String> hostNames = new ArrayList<>();
        private String region = "us-east-1";
        private String accountId = "123456789012";
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.RSA_2048;
        private int keyPoolSize = 16;
        private Duration claimLifetime = Duration.ofMinutes(5);
        private Duration tokenLifetime = Duration.ofHours(1);
        private Duration hookTimeout = Duration.ofSeconds(5);
        private Map<String, Double> throttleRates = new LinkedHashMap<>();
        private Duration latency = Duration.ZERO;
        private double dropAcceptedFraction;
        private double disconnectAfterCreateFraction;
        private Map<String, String> hookHeaders = new LinkedHashMap<>();
        private List<String> hookHeaderUrls = new ArrayList<>();
        private Path seedFile;
        private Clock clock = Clock.systemUTC();
        private Map<String, String> accessKeys = new LinkedHashMap<>();

        /** Free ports, in-memory CA, EC keys: what tests want. */
        public Builder forTests() {
            return mqttPort(0).httpPort(0).keyAlgorithm(KeyAlgorithm.EC_P256);
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder bindHost(String bindHost) {
            this.bindHost = bindHost;
            return this;
        }

        public Builder advertisedHost(String advertisedHost) {
            this.advertisedHost = advertisedHost;
            return this;
        }

        /**
         * A second MQTT port that, like AWS IoT's 443, requires ALPN {@code x-amzn-mqtt-ca}; 0 picks a free port,
         * a negative value (the default) opens none.
         */
        public Builder mqttAlpnPort(int mqttAlpnPort) {
            this.mqttAlpnPort = mqttAlpnPort;
            return this;
        }

        public Builder mqttPort(int mqttPort) {
            this.mqttPort = mqttPort;
            return this;
        }

        public Builder httpPort(int httpPort) {
            this.httpPort = httpPort;
            return this;
        }

        public Builder hostName(String hostName) {
            this.hostNames.add(hostName);
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
            this.keyAlgorithm = keyAlgorithm;
            return this;
        }

        public Builder keyPoolSize(int keyPoolSize) {
            this.keyPoolSize = keyPoolSize;
            return this;
        }

        public Builder claimLifetime(Duration claimLifetime) {
            this.claimLifetime = claimLifetime;
            return this;
        }

        public Builder tokenLifetime(Duration tokenLifetime) {
            this.tokenLifetime = tokenLifetime;
            return this;
        }

        public Builder hookTimeout(Duration hookTimeout) {
            this.hookTimeout = hookTimeout;
            return this;
        }

        /** Requests per second allowed for an API such as {@code RegisterThing}. */
        public Builder throttle(String api, double perSecond) {
            this.throttleRates.put(api, perSecond);
            return this;
        }

        /** Added before every fleet-provisioning answer and CreateProvisioningClaim (fault injection). */
        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /** Share of {@code /accepted} answers never delivered (fault injection). */
        public Builder dropAcceptedFraction(double fraction) {
            this.dropAcceptedFraction = fraction;
            return this;
        }

        /** Share of devices disconnected between certificate creation and RegisterThing (fault injection). */
        public Builder disconnectAfterCreateFraction(double fraction) {
            this.disconnectAfterCreateFraction = fraction;
            return this;
        }

        /**
         * A header sent with pre-provisioning hook calls (for example a shared secret): to every hook URL, or only
         * to those under a {@link #hookHeaderUrl(String) hook header URL} when any is given.
         */
        public Builder hookHeader(String name, String value) {
            this.hookHeaders.put(name, value);
            return this;
        }

        /**
         * Limits the hook headers to hook URLs under this prefix (repeatable): a template anyone with API access
         * created could otherwise name a foreign URL and receive the secret. See {@code HookUrlScope}.
         */
        public Builder hookHeaderUrl(String prefix) {
            HookUrlScope.validatePrefix(prefix);
            this.hookHeaderUrls.add(prefix);
            return this;
        }

        public Builder seedFile(Path seedFile) {
            this.seedFile = seedFile;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Accepts requests signed with this key and turns strict SigV4 verification on. */
        public Builder accessKey(String accessKeyId, String secretAccessKey) {
            this.accessKeys.put(accessKeyId, secretAccessKey);
            return this;
        }

        public EmulatorConfig build() {
            return new EmulatorConfig(
                    dataDir,
                    bindHost,
                    advertisedHost,
                    mqttPort,
                    mqttAlpnPort,
                    httpPort,
                    hostNames,
                    region,
                    accountId,
                    keyAlgorithm,
                    keyPoolSize,
                    claimLifetime,
                    tokenLifetime,
                    new FaultSettings(
                            throttleRates,
                            latency.toMillis(),
                            dropAcceptedFraction,
                            hookTimeout.toMillis(),
                            disconnectAfterCreateFraction),
                    hookHeaders,
                    hookHeaderUrls,
                    seedFile,
                    clock,
                    accessKeys);
        }
    }
}
