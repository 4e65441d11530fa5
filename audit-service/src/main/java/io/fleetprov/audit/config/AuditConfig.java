package io.fleetprov.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything audit-service reads from configuration under {@code audit.}. */
@ConfigMapping(prefix = "audit")
public interface AuditConfig {

    Ingest ingest();

    Custody custody();

    Anomalies anomalies();

    Api api();

    Checkpoint checkpoint();

    Events events();

    Mqtt mqtt();

    /** The MQTT client that receives the audited events. */
    interface Mqtt {
        /**
         * Its TLS engine: {@code openssl} (BoringSSL, from netty-tcnative; the JDK's engine where it does not load),
         * the default, or {@code jdk}. Certificates, trust, protocols and host name verification are the TLS
         * registry's either way. The connection that closed mid-stream on BoringSSL (IngestAttackTest,
         * {@code -Dfuzz.seed=80143309769274}) was netty 4.1.133's MQTT decoder refusing a PUBLISH cut inside its topic
         * by a TLS record; the root pom pins the fixed decoder (MqttFramingTest), whatever the engine.
         */
        @WithDefault("openssl")
        TlsEngine tlsEngine();
    }

    enum TlsEngine {
        OPENSSL,
        JDK
    }

    /** fleetprov's own events are signed (JWS, ES256); only these keys are believed (README, "Signed events"). */
    interface Events {
        /**
         * {@code audit.events.trusted-keys.<kid>}: the public key (PEM {@code PUBLIC KEY}, on one line or many) or
         * the path of a file holding it, for each signer trusted, under the {@code kid} its events name. An event on
         * {@code fleetprov/events/*} that is unsigned or signed by any other key is quarantined as
         * {@code bad-signature}.
         */
        Map<String, String> trustedKeys();

        /**
         * A directory whose every {@code <kid>.pem} file is a trusted public key under that kid, besides
         * {@link #trustedKeys()}: a mounted ConfigMap in Kubernetes, where kids with a dash cannot be spelled as
         * environment variables.
         */
        Optional<Path> trustDirectory();
    }

    interface Ingest {
        /** Most messages committed in one transaction (a signed batch is one message of many events). */
        @WithDefault("500")
        int batchSize();

        /**
         * How long the writer waits for more messages when fewer than a batch are queued: a commit costs the same
         * few statements whether it holds one message or fifty.
         */
        @WithDefault("PT0.01S")
        Duration linger();

        /** Messages waiting for the writer; when full, the MQTT consumer stops taking more. */
        @WithDefault("2000")
        int queueCapacity();

        /** First pause after a failed commit; doubles up to {@link #maxRetryBackoff()}. */
        @WithDefault("PT0.5S")
        Duration retryBackoff();

        @WithDefault("PT10S")
        Duration maxRetryBackoff();
    }

    interface Custody {
        /** The thing attribute that holds the device's serial number, when the template sets one. */
        @WithDefault("SerialNumber")
        String serialAttribute();
    }

    interface Anomalies {
        /** A provisioned device that has not connected with its new certificate after this long is reported. */
        @WithDefault("PT10M")
        Duration reconnectDeadline();

        /** A thing younger than this is not yet reported as having no claim: its hook event may be in flight. */
        @WithDefault("PT1M")
        Duration claimGrace();

        /** This many denials of one installer within {@link #denialBurstWindow()} is a burst. */
        @WithDefault("5")
        int denialBurstCount();

        @WithDefault("PT10M")
        Duration denialBurstWindow();

        /**
         * How often the {@code audit_anomalies} gauges are brought up to date, from the events appended since the
         * last time (AnomalyGauges).
         */
        @WithDefault("PT30S")
        Duration refreshInterval();

        /** How often the gauges are recomputed from the whole log instead. */
        @WithDefault("PT1H")
        Duration fullRefreshInterval();
    }

    interface Api {
        @WithDefault("100")
        int defaultPageSize();

        @WithDefault("1000")
        int maxPageSize();
    }

    /**
     * Signed checkpoints of the chain head, kept outside the database so that its owner cannot rewind or rewrite
     * the log unnoticed (README, "Checkpoints").
     */
    interface Checkpoint {
        /** Where checkpoints are written; without it none are, and {@code /v1/integrity} says so. */
        Optional<Path> directory();

        /** A checkpoint once this many events have been appended since the last one... */
        @WithDefault("1000")
        int everyEvents();

        /** ...and at this interval whenever the head has moved. */
        @WithDefault("PT5M")
        Duration every();

        /**
         * A PEM file with the ES256 (EC P-256) key: a {@code PRIVATE KEY} (PKCS#8) and its {@code PUBLIC KEY}
         * block. Without it, one is generated at first start as {@code checkpoint-signing-key.pem} (mode 0600) in
         * {@link #directory()}.
         */
        Optional<Path> signingKeyFile();
    }
}
