package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Devices;
import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each anomaly from a scenario that produces it: real devices on the emulator for the AWS side, and the events
 * claim-service publishes about them. (Test settings: claim grace 1 s, reconnect deadline 3 s.)
 */
@QuarkusTest
class AnomalyTest {

    @InjectIotEmulator
    IotEmulator emulator;

    private final String run = UUID.randomUUID().toString().substring(0, 6);

    @BeforeEach
    void thingEvents() {
        emulator.registry().eventConfigurations().update(Map.of("THING", true));
    }

    @Test
    void claimUsedTwiceAndSerialProvisionedTwice() throws Exception {
        String serial = "SN-twice-" + run;
        Devices.Provisioned first = Devices.provision(emulator, serial);
        Devices.reconnect(emulator, first);
        try (ClaimServiceEvents claims = new ClaimServiceEvents(emulator)) {
            claims.publish(ClaimServiceEvents.claimIssued("inst-" + run, serial, first.claimCertificateId()));
            claims.publish(ClaimServiceEvents.hookDecision(
                    "inst-" + run, serial, first.claimCertificateId(), first.certificateId(), true, null));
            // the same claim again, for another key pair: claim-service denies it
            claims.publish(ClaimServiceEvents.hookDecision(
                    "inst-" + run,
                    serial,
                    first.claimCertificateId(),
                    "cert-second-" + run,
                    false,
                    "claim already used"));
            // a second claim for the same serial, allowed (another installer made a mistake)
            claims.publish(ClaimServiceEvents.claimIssued("other-" + run, serial, "claim-b-" + run));
            claims.publish(ClaimServiceEvents.hookDecision(
                    "other-" + run, serial, "claim-b-" + run, "cert-b-" + run, true, null));
        }
        awaitAnomaly("CLAIM_USED_TWICE", "claim:" + first.claimCertificateId());
        awaitAnomaly("SERIAL_PROVISIONED_TWICE", "serial:" + serial);
    }

    @Test
    void wrongSerialAndDenialBurst() throws Exception {
        String installer = "burst-" + run;
        try (ClaimServiceEvents claims = new ClaimServiceEvents(emulator)) {
            claims.publish(ClaimServiceEvents.claimIssued(installer, "SN-right-" + run, "claim-w-" + run));
            claims.publish(ClaimServiceEvents.hookDecision(
                    null,
                    "SN-wrong-" + run,
                    "claim-w-" + run,
                    "cert-w-" + run,
                    false,
                    "serial does not match the claim"));
            for (int i = 0; i < 4; i++) {
                claims.publish(ClaimServiceEvents.claimRefused(installer, "SN-r" + i, "quota exceeded"));
            }
        }
        awaitAnomaly("WRONG_SERIAL", "claim:claim-w-" + run);
        // 4 refusals + the hook denial of the installer's claim = 5 within the window
        JsonPath burst = awaitAnomaly("DENIAL_BURST", "installer:" + installer);
        assertThat(burst.getList("items.find { it.subject == 'installer:" + installer + "' }.eventIds"))
                .hasSize(5);
    }

    @Test
    void claimExpiredUnused() throws Exception {
        try (ClaimServiceEvents claims = new ClaimServiceEvents(emulator)) {
            claims.publish(ClaimServiceEvents.claimIssued("late-" + run, "SN-exp-" + run, "claim-e-" + run));
            claims.publish(ClaimServiceEvents.expiredUnused("late-" + run, "SN-exp-" + run, "claim-e-" + run));
        }
        awaitAnomaly("CLAIM_EXPIRED_UNUSED", "claim:claim-e-" + run);
        given().auth()
                .oauth2(Tokens.auditor())
                .get("/v1/installers/{s}/activity", "late-" + run)
                .then()
                .statusCode(200)
                .body("summary.issued", org.hamcrest.Matchers.equalTo(1))
                .body("summary.expiredUnused", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void thingWithoutClaimAndDeviceThatNeverReconnected() throws Exception {
        // An administrator creates a thing directly: no claim, no hook decision.
        String rogue = "rogue-" + run;
        emulator.registry().things().create(rogue, null, Map.of(), null, null);
        // A device provisions but never connects with its new certificate.
        String serial = "SN-silent-" + run;
        Devices.Provisioned silent = Devices.provision(emulator, serial);
        // A device that does reconnect must not be reported.
        String okSerial = "SN-ok-" + run;
        Devices.Provisioned ok = Devices.provision(emulator, okSerial);
        Devices.reconnect(emulator, ok);
        try (ClaimServiceEvents claims = new ClaimServiceEvents(emulator)) {
            for (var d : List.of(Map.entry(serial, silent), Map.entry(okSerial, ok))) {
                claims.publish(ClaimServiceEvents.claimIssued(
                        "inst-" + run, d.getKey(), d.getValue().claimCertificateId()));
                claims.publish(ClaimServiceEvents.hookDecision(
                        "inst-" + run,
                        d.getKey(),
                        d.getValue().claimCertificateId(),
                        d.getValue().certificateId(),
                        true,
                        null));
            }
        }
        awaitAnomaly("THING_WITHOUT_CLAIM", "thing:" + rogue);
        awaitAnomaly("NEVER_RECONNECTED", "certificate:" + silent.certificateId());
        List<String> subjects = anomalies().getList("items.subject");
        assertThat(subjects)
                .doesNotContain(
                        "certificate:" + ok.certificateId(), "thing:" + ok.thingName(), "thing:" + silent.thingName());
        given().get("/q/metrics")
                .then()
                .body(org.hamcrest.Matchers.containsString("audit_anomalies{kind=\"THING_WITHOUT_CLAIM\""));
    }

    private JsonPath awaitAnomaly(String kind, String subject) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> given().auth()
                                .oauth2(Tokens.auditor())
                                .queryParam("kind", kind)
                                .queryParam("limit", 1000)
                                .get("/v1/anomalies")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        p -> p.getList("items.subject").contains(subject));
    }

    private JsonPath anomalies() {
        return given().auth()
                .oauth2(Tokens.auditor())
                .queryParam("limit", 1000)
                .get("/v1/anomalies")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
