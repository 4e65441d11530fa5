package io.fleetprov.audit.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.service.Anomaly.Kind;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.testing.ConfigStubs;
import io.fleetprov.testing.OneTransaction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code audit_anomalies} gauges, brought up to date from the events appended since the last refresh, say what
 * the anomaly queries say over the whole log at every step: anomalies of old subjects touched by new events, things
 * and devices whose deadline passes between refreshes, anomalies settled by a later event, events arriving late, and
 * (once the hourly recomputation has run) a producer whose clock is ahead. A narrowed refresh reads a few rows of a
 * log of 4,000; recomputing everything reads them all.
 */
class AnomalyGaugesTest extends RogueThingLogTest {

    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void narrowedRefreshesAgreeWithTheWholeLogAndReadLittleOfIt() throws Exception {
        try (Connection reads = dataSource.getConnection();
                Connection writes = dataSource.getConnection()) {
            reads.setAutoCommit(false);
            EventStore store = new EventStore(OneTransaction.dataSource(reads, AgroalDataSource.class));
            AuditConfig config = config();
            AnomalyService anomalies = new AnomalyService(store, new EventQueries(store, config), config);
            AnomalyGauges gauges = new AnomalyGauges(anomalies, store, config, new SimpleMeterRegistry());

            long everything = refresh(gauges, reads, T0);
            assertThat(everything).isGreaterThanOrEqualTo(4L * DEVICES);
            assertAgree(gauges, anomalies, T0, Map.of(Kind.THING_WITHOUT_CLAIM, 1L));

            // Claim X issued for SN-X, presented with SN-Y: wrong serial, and its device never connects.
            AuditRows.append(
                    writes,
                    "ClaimIssued",
                    at(5),
                    at(5),
                    "claim_certificate_id",
                    "X",
                    "serial_number",
                    "SN-X",
                    "installer",
                    "alice");
            AuditRows.append(
                    writes,
                    "HookDecision",
                    at(6),
                    at(6),
                    "claim_certificate_id",
                    "X",
                    "serial_number",
                    "SN-Y",
                    "certificate_id",
                    "cert-x",
                    "outcome",
                    "allow");
            // An old claim used again, by a second device with the same serial.
            AuditRows.append(
                    writes,
                    "HookDecision",
                    at(7),
                    at(7),
                    "claim_certificate_id",
                    "claim-5",
                    "serial_number",
                    "SN-5",
                    "certificate_id",
                    "cert-5b",
                    "outcome",
                    "allow");
            AuditRows.append(
                    writes, "PresenceConnected", at(8), at(8), "certificate_id", "cert-5b", "client_id", "SN-5");
            AuditRows.append(writes, "ClaimExpiredUnused", at(9), at(9), "claim_certificate_id", "Z");
            for (int i = 0; i < 3; i++) {
                AuditRows.append(writes, "ClaimRefused", at(10 + i), at(10 + i), "installer", "mallory");
            }
            AuditRows.append(writes, "ThingCreated", at(12), at(12), "thing_name", "rogue-2");

            long narrowed = refresh(gauges, reads, at(30));
            assertThat(narrowed).isLessThan(everything / 10);
            assertAgree(
                    gauges,
                    anomalies,
                    at(30),
                    Map.of(
                            Kind.THING_WITHOUT_CLAIM, 1L,
                            Kind.WRONG_SERIAL, 1L,
                            Kind.CLAIM_USED_TWICE, 1L,
                            Kind.SERIAL_PROVISIONED_TWICE, 1L,
                            Kind.CLAIM_EXPIRED_UNUSED, 1L,
                            Kind.DENIAL_BURST, 1L));

            // rogue-2's grace passes; then a hook accounts for the first rogue thing after all.
            refresh(gauges, reads, at(120));
            assertAgree(gauges, anomalies, at(120), Map.of(Kind.THING_WITHOUT_CLAIM, 2L));
            AuditRows.append(
                    writes, "ClaimIssued", at(125), at(125), "claim_certificate_id", "R", "serial_number", "SN-R");
            AuditRows.append(
                    writes,
                    "HookDecision",
                    at(126),
                    at(126),
                    "claim_certificate_id",
                    "R",
                    "serial_number",
                    "SN-R",
                    "thing_name",
                    "rogue-thing",
                    "certificate_id",
                    "cert-r",
                    "outcome",
                    "allow");
            AuditRows.append(writes, "PresenceConnected", at(127), at(127), "certificate_id", "cert-r");
            refresh(gauges, reads, at(150));
            assertAgree(gauges, anomalies, at(150), Map.of(Kind.THING_WITHOUT_CLAIM, 1L));

            // cert-x's reconnect deadline passes; then it connects at last. A hook that arrives late, already past
            // its deadline, is reported at once.
            for (int t = 180; t <= 660; t += 30) {
                refresh(gauges, reads, at(t));
            }
            assertAgree(gauges, anomalies, at(660), Map.of(Kind.NEVER_RECONNECTED, 1L));
            AuditRows.append(writes, "PresenceConnected", at(661), at(661), "certificate_id", "cert-x");
            AuditRows.append(
                    writes, "ClaimIssued", at(-1800), at(662), "claim_certificate_id", "L", "serial_number", "SN-L");
            AuditRows.append(
                    writes,
                    "HookDecision",
                    at(-1799),
                    at(662),
                    "claim_certificate_id",
                    "L",
                    "serial_number",
                    "SN-L",
                    "certificate_id",
                    "cert-l",
                    "outcome",
                    "allow");
            refresh(gauges, reads, at(690));
            assertAgree(gauges, anomalies, at(690), Map.of(Kind.NEVER_RECONNECTED, 1L));
            assertThat(anomalies.find(Kind.NEVER_RECONNECTED, at(690)))
                    .extracting(Anomaly::subject)
                    .containsExactly("certificate:cert-l");

            // A producer whose clock runs half an hour ahead: its device's deadline passes long after the event was
            // received, beyond what the narrowed refreshes look at; the hourly recomputation reports it.
            AuditRows.append(
                    writes, "ClaimIssued", at(2460), at(663), "claim_certificate_id", "K", "serial_number", "SN-K");
            AuditRows.append(
                    writes,
                    "HookDecision",
                    at(2461),
                    at(663),
                    "claim_certificate_id",
                    "K",
                    "serial_number",
                    "SN-K",
                    "certificate_id",
                    "cert-k",
                    "outcome",
                    "allow");

            // An hour on, everything is recomputed, and agrees too.
            assertThat(refresh(gauges, reads, at(3700))).isGreaterThanOrEqualTo(4L * DEVICES);
            assertAgree(gauges, anomalies, at(3700), Map.of(Kind.NEVER_RECONNECTED, 2L));
        }
    }

    /** Refreshes at {@code now}; returns the rows of the log it read. */
    private static long refresh(AnomalyGauges gauges, Connection reads, Instant now) throws Exception {
        reads.commit(); // sees what was appended since
        long before = OneTransaction.rowsRead(reads, "audit_event");
        gauges.refresh(now);
        return OneTransaction.rowsRead(reads, "audit_event") - before;
    }

    /**
     * Every gauge equals the number of anomalies the whole log shows; {@code changed} gives those expected to be
     * more than the ones present from the start (the kinds not named: as before).
     */
    private static void assertAgree(
            AnomalyGauges gauges, AnomalyService anomalies, Instant now, Map<Kind, Long> atLeast) {
        Map<Kind, Long> shown = new EnumMap<>(Kind.class);
        Map<Kind, Long> whole = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            shown.put(kind, gauges.count(kind));
            whole.put(kind, (long) anomalies.find(kind, now).size());
        }
        assertThat(shown).isEqualTo(whole);
        atLeast.forEach((kind, n) -> assertThat(shown.get(kind)).as(kind.name()).isEqualTo(n));
    }

    private static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0);
    }

    private static AuditConfig config() {
        AuditConfig.Anomalies anomalies = ConfigStubs.of(
                AuditConfig.Anomalies.class,
                Map.of(
                        "reconnectDeadline", Duration.ofMinutes(10),
                        "claimGrace", Duration.ofMinutes(1),
                        "denialBurstCount", 3,
                        "denialBurstWindow", Duration.ofMinutes(10),
                        "refreshInterval", Duration.ofSeconds(30),
                        "fullRefreshInterval", Duration.ofHours(1)));
        AuditConfig.Api api =
                ConfigStubs.of(AuditConfig.Api.class, Map.of("defaultPageSize", 100, "maxPageSize", 1000));
        return ConfigStubs.of(AuditConfig.class, Map.of("anomalies", anomalies, "api", api));
    }
}
