package io.fleetprov.claims.event;

import io.fleetprov.protocol.event.TraceIds;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The trace the current request belongs to. quarkus-opentelemetry makes a server span for each HTTP request, a child
 * of the caller's {@code traceparent} when it sent one, so its trace id is the one the installer's app (or the
 * simulator) chose. Only with the SDK switched off ({@code quarkus.otel.sdk.disabled=true}) is there no span; a fresh
 * id then still ties the claim's events together.
 */
public final class Traces {

    private Traces() {}

    /** The current span's W3C trace id, or a fresh one when there is no valid span. */
    public static String currentTraceId() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() && TraceIds.isTraceId(span.getTraceId()) ? span.getTraceId() : TraceIds.newTraceId();
    }

    /**
     * Records on the current span (the hook's, or the sweeper's) the trace of the claim it acts on: that request came
     * from AWS or a timer, not from the installer, so its own trace id is another one.
     */
    public static void linkToClaim(String claimTraceId) {
        if (TraceIds.isTraceId(claimTraceId)) {
            Span.current().setAttribute("fleetprov.claim.trace_id", claimTraceId);
        }
    }
}
