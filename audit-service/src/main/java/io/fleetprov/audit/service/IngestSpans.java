package io.fleetprov.audit.service;

import io.fleetprov.audit.store.AuditEvent;
import io.fleetprov.audit.store.ChainedEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * A span for each event the log records, in the trace the event carries: one device's provisioning stays one trace
 * from the installer's request to its audit rows. The envelope carries the trace id but no span id, so the span's
 * parent is named by a span id derived from the event id (the same on every redelivery); trace viewers show the span
 * in the device's trace, under a parent they do not have. Events without a trace id get no span.
 *
 * <p>Spans are made only where someone can see them: when the service was built with a trace exporter (README,
 * "Traces": {@code quarkus.otel.traces.exporter} other than {@code none}), or when this class logs at DEBUG, whose
 * line carries the span's ids. Otherwise a span per event went nowhere, on the one writer thread, at about a quarter
 * of its CPU under a burst (README, audit-service "Benchmark"); the trace id is on the row either way.
 */
@ApplicationScoped
public class IngestSpans {

    private static final Logger LOG = Logger.getLogger(IngestSpans.class);

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    private final Tracer tracer;
    private final boolean exported;

    public IngestSpans(Tracer tracer) {
        this.tracer = tracer;
        // Fixed when the service is built (application.properties: none unless built with an exporter).
        this.exported = !"none"
                .equals(ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.otel.traces.exporter", String.class)
                        .orElse("cdi"));
    }

    void recorded(List<ChainedEvent> appended) {
        boolean logged = LOG.isDebugEnabled();
        if (!exported && !logged) {
            return;
        }
        for (ChainedEvent link : appended) {
            AuditEvent e = link.event();
            if (e.traceId() == null) {
                continue;
            }
            SpanContext parent = SpanContext.createFromRemoteParent(
                    e.traceId(), parentSpanId(e.eventId()), TraceFlags.getSampled(), TraceState.getDefault());
            Span span = tracer.spanBuilder("audit record " + e.eventType())
                    .setParent(Context.root().with(Span.wrap(parent)))
                    .setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.destination.name", e.topic())
                    .setAttribute("fleetprov.event.id", e.eventId())
                    .setAttribute("fleetprov.audit.seq", link.seq())
                    .startSpan();
            if (logged) {
                // Current while it logs, so the log line carries the device's trace id and this span's id.
                Scope scope = span.makeCurrent();
                try {
                    LOG.debugf("recorded %s %s at seq %d", e.eventType(), e.eventId(), link.seq());
                } finally {
                    scope.close();
                }
            }
            span.end();
        }
    }

    /** The first 8 bytes of SHA-256(eventId), never all zero: a stable stand-in for the publisher's span. */
    static String parentSpanId(String eventId) {
        byte[] digest = SHA256.get().digest(eventId.getBytes(StandardCharsets.UTF_8));
        String id = HexFormat.of().formatHex(digest, 0, 8);
        return id.equals("0000000000000000") ? "0000000000000001" : id;
    }
}
