package io.fleetprov.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.audit.service.EventTypes;
import io.fleetprov.audit.service.EventView;
import io.fleetprov.protocol.event.Outcome;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored columns, the API's event and the outcome words stay as they were and agree with each other. */
class AuditFieldTest {

    @Test
    void columnsAreThoseOfTheExistingTable() {
        assertThat(EventStore.COLUMNS)
                .isEqualTo("seq, event_id, event_type, source, topic, occurred_at, received_at, installer, "
                        + "serial_number, template_name, claim_certificate_id, certificate_id, thing_name, client_id, "
                        + "outcome, reason, signer, trace_id, signed_batch, payload::text as payload, prev_hash, hash");
    }

    @Test
    void theApiEventListsEveryStoredField() {
        List<String> expected = new ArrayList<>();
        expected.add("seq");
        Arrays.stream(AuditField.values()).map(AuditField::viewName).forEach(expected::add);
        expected.addAll(List.of("hash", "prevHash", "payload"));
        assertThat(Arrays.stream(EventView.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void rowsStoredWithEitherSpellingOfAnOutcomeStillCount() {
        assertThat(EventTypes.isAllowed("ALLOWED")).isTrue();
        assertThat(EventTypes.isAllowed("allow")).isTrue();
        assertThat(EventTypes.isAllowed("DENY")).isFalse();
        assertThat(EventTypes.outcomeIs("h.outcome", Outcome.DENY)).isEqualTo("lower(h.outcome) in ('deny', 'denied')");
    }
}
