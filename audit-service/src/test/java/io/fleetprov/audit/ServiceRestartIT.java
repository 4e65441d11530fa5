package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.audit.testing.AuditTestResources;
import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.audit.testing.Users;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.fleetprov.protocol.contract.Contracts;
import io.fleetprov.testing.ServiceProcess;
import io.fleetprov.testing.TestDatabase;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service is killed (SIGKILL) while claim-service keeps publishing, and started again: the broker
 * keeps its persistent session meanwhile — the messages published while it is down and the ones it had received
 * but not yet committed — so every event ends up in the log exactly once and the chain is intact.
 */
class ServiceRestartIT {

    /** A steady stream, well below what the service ingests, so a backlog only builds while it is down. */
    private static final Duration PUBLISH_INTERVAL = Duration.ofMillis(5);

    @TempDir
    Path work;

    private TestDatabase database;
    private IotEmulator emulator;
    private ServiceProcess service;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.start(
                Files.createDirectory(work.resolve("pg")), 0, AuditTestResources.DATABASE, AuditTestResources.APP_ROLE);
        Path seed = work.resolve("emulator-seed.json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("emulator-seed.json")) {
            Files.copy(in, seed);
        }
        emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().seedFile(seed).build());
        ServiceIdentity identity = emulator.createServiceIdentity("audit-service");
        Map<String, String> properties = new HashMap<>(database.properties());
        properties.put("fleetprov.mqtt.host", emulator.mqttHost());
        properties.put("fleetprov.mqtt.port", Integer.toString(emulator.mqttPort()));
        properties.put(
                "fleetprov.mqtt.ca-file",
                Files.writeString(work.resolve("ca.pem"), emulator.caCertificatePem())
                        .toString());
        properties.put(
                "fleetprov.mqtt.cert-file",
                Files.writeString(work.resolve("audit.pem.crt"), identity.certificatePem())
                        .toString());
        properties.put(
                "fleetprov.mqtt.key-file",
                Files.writeString(work.resolve("audit.private.key"), identity.privateKeyPem())
                        .toString());
        properties.put("fleetprov.oidc.issuer", emulator.httpUrl() + "/" + Users.POOL_ID);
        // The publisher signs with fleet-protocol's contract test key; the packaged service trusts it by file.
        properties.put(
                "audit.events.trusted-keys." + Contracts.EVENT_SIGNING_KEY_ID,
                Files.writeString(work.resolve("claim-service.pub.pem"), Contracts.eventSigningKey())
                        .toString());
        service = new ServiceProcess("audit-service", properties, Path.of("target", "service-restart-it.log"));
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void eventsPublishedAcrossAKillAreStoredExactlyOnce() throws Exception {
        service.start(Duration.ofSeconds(40));
        List<String> published = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicReference<Throwable> publishFailure = new AtomicReference<>();
        int publishedBeforeDown;
        int publishedWhileDown;
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            Thread publisher = new Thread(
                    () -> {
                        try {
                            for (int i = 0; publishing.get(); i++) {
                                // publish returns once the broker has acknowledged (QoS 1): the event is the broker's.
                                published.add(claimService
                                        .publish(ClaimServiceEvents.claimIssued(
                                                "installer-restart", "SN-restart-" + i, "claim-restart-" + i))
                                        .eventId());
                                Thread.sleep(PUBLISH_INTERVAL.toMillis());
                            }
                        } catch (Throwable e) {
                            publishFailure.set(e);
                        }
                    },
                    "claim-service-publisher");
            publisher.start();

            // Killed mid-stream: with events arriving, some are received and not yet committed or acknowledged.
            await().atMost(Duration.ofSeconds(20)).until(() -> stored(published) >= 200);
            service.kill();
            publishedBeforeDown = published.size();
            Thread.sleep(2000);
            publishedWhileDown = published.size() - publishedBeforeDown;
            service.start(Duration.ofSeconds(40));
            Thread.sleep(1000);
            publishing.set(false);
            publisher.join(10_000);
            assertThat(publishFailure.get()).isNull();
            assertThat(publishedWhileDown)
                    .as("events published while the service was down")
                    .isPositive();
        }

        List<String> ids = List.copyOf(published);
        try {
            // Generous: a loaded machine slows the restarted service's catching up, not what it stores.
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(ids) == ids.size());
        } catch (ConditionTimeoutException e) {
            // Which ones, by position in the stream, tells lost-while-down from lost-on-reconnect.
            assertThat(missing(ids))
                    .as(
                            "positions of events not stored; %d published before the kill, %d while down,"
                                    + " %d in all",
                            publishedBeforeDown, publishedWhileDown, ids.size())
                    .isEmpty();
        }
        assertThat(stored(ids)).isEqualTo(ids.size());
        assertThat(distinctStored(ids)).isEqualTo(ids.size());

        JsonPath integrity = given().baseUri(service.baseUrl())
                .auth()
                .oauth2(Tokens.signIn(emulator.httpUrl(), Users.AUDITOR))
                .get("/v1/integrity")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(integrity.getBoolean("intact")).isTrue();
        assertThat(integrity.getLong("verified")).isEqualTo(rows());
    }

    private long stored(List<String> ids) throws Exception {
        return count("select count(*) from audit_event where event_id = any(?)", ids);
    }

    private List<Integer> missing(List<String> ids) throws Exception {
        Set<String> stored = new HashSet<>();
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select event_id from audit_event where event_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!stored.contains(ids.get(i))) {
                missing.add(i);
            }
        }
        return missing;
    }

    private long distinctStored(List<String> ids) throws Exception {
        return count("select count(distinct event_id) from audit_event where event_id = any(?)", ids);
    }

    private long rows() throws Exception {
        return count("select count(*) from audit_event", null);
    }

    private long count(String sql, List<String> ids) throws Exception {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (ids != null) {
                synchronized (ids) {
                    ps.setArray(1, c.createArrayOf("text", ids.toArray()));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
