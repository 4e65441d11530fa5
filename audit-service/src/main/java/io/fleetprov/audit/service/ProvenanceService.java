package io.fleetprov.audit.service;

import static io.fleetprov.audit.service.EventTypes.CLAIM_EXPIRED_UNUSED;
import static io.fleetprov.audit.service.EventTypes.CLAIM_ISSUED;
import static io.fleetprov.audit.service.EventTypes.HOOK_DECISION;
import static io.fleetprov.audit.service.EventTypes.PRESENCE_CONNECTED;
import static io.fleetprov.audit.service.EventTypes.PRESENCE_DISCONNECTED;
import static io.fleetprov.audit.service.EventTypes.THING_CREATED;
import static io.fleetprov.audit.service.EventTypes.THING_DELETED;
import static io.fleetprov.audit.service.EventTypes.THING_UPDATED;

import io.fleetprov.audit.store.AuditEvent;
import io.fleetprov.audit.store.ChainedEvent;
import io.fleetprov.audit.store.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a device's chain of custody from the log at query time, so the order in which events arrived does not
 * matter. The links: thing → its device certificate (the hook decision naming the thing, or whose certificate the
 * thing connected with, or naming the thing's serial) → that decision's claim → the claim's ClaimIssued and
 * installer; and the thing's presence, of which the first connect with the device certificate is its own step.
 */
@ApplicationScoped
public class ProvenanceService {

    private final EventStore store;
    private final EventQueries queries;

    public ProvenanceService(EventStore store, EventQueries queries) {
        this.store = store;
        this.queries = queries;
    }

    public Provenance provenance(String thingName, String cursor, Integer limit) {
        int size = queries.pageSize(limit);
        List<ChainedEvent> thingEvents =
                queries.byColumn("thing_name", thingName, THING_CREATED, THING_UPDATED, THING_DELETED);
        List<ChainedEvent> presence =
                queries.byColumn("client_id", thingName, PRESENCE_CONNECTED, PRESENCE_DISCONNECTED);
        Optional<ChainedEvent> created = thingEvents.stream()
                .filter(e -> e.event().eventType().equals(THING_CREATED))
                .findFirst();
        String serial = thingEvents.stream()
                .map(e -> e.event().serialNumber())
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        Set<String> principals = new LinkedHashSet<>();
        presence.stream()
                .map(e -> e.event().certificateId())
                .filter(Objects::nonNull)
                .forEach(principals::add);

        Optional<ChainedEvent> hook = hookDecision(thingName, serial, principals);
        if (thingEvents.isEmpty() && presence.isEmpty() && hook.isEmpty()) {
            throw new NotFoundException("no events on record for thing " + thingName);
        }
        AuditEvent decision = hook.map(ChainedEvent::event).orElse(null);
        String claimId = decision == null ? null : decision.claimCertificateId();
        String deviceCertificate = decision == null ? null : decision.certificateId();
        List<ChainedEvent> claimEvents = claimId == null
                ? List.of()
                : queries.byColumn("claim_certificate_id", claimId, CLAIM_ISSUED, CLAIM_EXPIRED_UNUSED);
        AuditEvent issued = first(claimEvents, CLAIM_ISSUED);
        AuditEvent expired = first(claimEvents, CLAIM_EXPIRED_UNUSED);

        Provenance.Installer installer = null;
        if (issued != null && issued.installer() != null) {
            installer = new Provenance.Installer(issued.installer(), issued.eventId(), issued.occurredAt());
        } else if (decision != null && decision.installer() != null) {
            installer = new Provenance.Installer(decision.installer(), decision.eventId(), decision.occurredAt());
        }
        Provenance.Claim claim = issued == null
                ? null
                : new Provenance.Claim(
                        claimId,
                        issued.templateName(),
                        issued.serialNumber(),
                        issued.occurredAt(),
                        issued.eventId(),
                        expired == null ? null : expired.occurredAt());
        Provenance.HookDecision hookStep = decision == null
                ? null
                : new Provenance.HookDecision(
                        decision.outcome(),
                        decision.reason(),
                        decision.serialNumber(),
                        decision.occurredAt(),
                        decision.eventId());
        Provenance.DeviceCertificate certificate = deviceCertificate == null
                        || !EventTypes.isAllowed(decision.outcome())
                ? null
                : new Provenance.DeviceCertificate(deviceCertificate, decision.occurredAt(), decision.eventId());
        Provenance.Thing thing = created.map(c -> new Provenance.Thing(
                        c.event().payload().path("thingId").asText(null),
                        c.event().occurredAt(),
                        c.event().eventId(),
                        thingEvents.stream()
                                .filter(e -> e != c)
                                .map(e -> new Provenance.ThingChange(
                                        e.event().eventType(),
                                        e.event().occurredAt(),
                                        e.event().eventId()))
                                .toList()))
                .orElse(null);

        ChainedEvent firstConnect = certificate == null
                ? null
                : presence.stream()
                        .filter(e -> e.event().eventType().equals(PRESENCE_CONNECTED)
                                && deviceCertificate.equals(e.event().certificateId()))
                        .findFirst()
                        .orElse(null);
        List<ChainedEvent> later = new ArrayList<>();
        if (firstConnect != null) {
            Comparator<ChainedEvent> order = Comparator.comparing(
                            (ChainedEvent e) -> e.event().occurredAt())
                    .thenComparingLong(ChainedEvent::seq);
            presence.stream().filter(e -> order.compare(e, firstConnect) > 0).forEach(later::add);
        }
        int start = 0;
        if (cursor != null && !cursor.isBlank()) {
            long afterSeq = Cursor.afterSeq(cursor);
            for (int i = 0; i < later.size(); i++) {
                if (later.get(i).seq() == afterSeq) {
                    start = i + 1;
                }
            }
        }
        List<ChainedEvent> pageRows =
                later.subList(Math.min(start, later.size()), Math.min(start + size, later.size()));
        String next = start + size < later.size()
                ? Cursor.encode(Long.toString(pageRows.get(pageRows.size() - 1).seq()))
                : null;

        List<String> missing = new ArrayList<>();
        if (installer == null) {
            missing.add("installer");
        }
        if (claim == null) {
            missing.add("claim");
        }
        if (hookStep == null) {
            missing.add("hookDecision");
        }
        if (certificate == null) {
            missing.add("deviceCertificate");
        }
        if (thing == null) {
            missing.add("thing");
        }
        if (firstConnect == null) {
            missing.add("firstConnect");
        }
        String serialNumber = serial != null
                ? serial
                : decision != null ? decision.serialNumber() : issued != null ? issued.serialNumber() : null;
        return new Provenance(
                thingName,
                serialNumber,
                installer,
                claim,
                hookStep,
                certificate,
                thing,
                firstConnect == null ? null : presence(firstConnect),
                pageRows.stream().map(ProvenanceService::presence).toList(),
                next,
                missing);
    }

    /**
     * The decision that produced this thing: one naming it; else an allowed one whose certificate the thing
     * connected with; else one for the thing's serial (or its name, for templates that name things by serial).
     */
    private Optional<ChainedEvent> hookDecision(String thingName, String serial, Set<String> principals) {
        List<String> serials = serial == null ? List.of(thingName) : List.of(thingName, serial);
        List<ChainedEvent> hooks = store.query(
                "select " + EventStore.columns() + " from audit_event"
                        + " where event_type = ? and (thing_name = ? or certificate_id = any(?) or serial_number = any(?))"
                        + " order by occurred_at, seq",
                List.of(HOOK_DECISION, thingName, principals.toArray(String[]::new), serials.toArray(String[]::new)),
                EventStore::chained);
        Comparator<ChainedEvent> preference = Comparator.comparing(
                        (ChainedEvent e) -> thingName.equals(e.event().thingName()))
                .thenComparing(e -> principals.contains(e.event().certificateId()))
                .thenComparing(e -> EventTypes.isAllowed(e.event().outcome()))
                .thenComparing(e -> e.event().occurredAt());
        return hooks.stream().max(preference);
    }

    private static AuditEvent first(List<ChainedEvent> events, String type) {
        return events.stream()
                .map(ChainedEvent::event)
                .filter(e -> e.eventType().equals(type))
                .findFirst()
                .orElse(null);
    }

    private static Provenance.Presence presence(ChainedEvent c) {
        AuditEvent e = c.event();
        return new Provenance.Presence(
                e.eventType(),
                e.clientId(),
                e.certificateId(),
                e.payload().path("sessionIdentifier").asText(null),
                e.reason(),
                e.occurredAt(),
                e.eventId());
    }
}
