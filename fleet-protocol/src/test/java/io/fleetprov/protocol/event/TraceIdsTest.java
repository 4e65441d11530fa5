package io.fleetprov.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.contract.Contracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope's traceId is a W3C trace id, and the traceparent header is read as W3C Trace Context says. */
class TraceIdsTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyGoldenEventCarriesAW3cTraceId(EventType type) {
        FleetEvent event = PayloadCodec.json().decode(Contracts.event(type), FleetEvent.class);
        assertThat(TraceIds.isTraceId(event.traceId())).as(event.traceId()).isTrue();
    }

    @Test
    void theTraceIdOfAValidHeaderIsRead() {
        assertThat(TraceIds.traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .contains("4bf92f3577b34da6a3ce929d0e0e4736");
        // A later version may add fields; version 00 may not.
        assertThat(TraceIds.traceIdOf("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"))
                .contains("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
                "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"
            })
    void anInvalidHeaderGivesNoTraceId(String header) {
        assertThat(TraceIds.traceIdOf(header)).isEmpty();
    }

    @Test
    void generatedIdsMakeAValidHeader() {
        String traceId = TraceIds.newTraceId();
        String header = TraceIds.traceparent(traceId, TraceIds.newSpanId());
        assertThat(TraceIds.traceIdOf(header)).contains(traceId);
    }
}
