package io.fleetprov.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FleetTopicsTest {

    @Test
    void buildsAwsTopicNames() {
        assertThat(FleetTopics.createKeysAndCertificate(PayloadFormat.JSON)).isEqualTo("$aws/certificates/create/json");
        assertThat(FleetTopics.createCertificateFromCsr(PayloadFormat.CBOR))
                .isEqualTo("$aws/certificates/create-from-csr/cbor");
        assertThat(FleetTopics.registerThing("my-template", PayloadFormat.JSON))
                .isEqualTo("$aws/provisioning-templates/my-template/provision/json");
        assertThat(FleetTopics.accepted(FleetTopics.createKeysAndCertificate(PayloadFormat.CBOR)))
                .isEqualTo("$aws/certificates/create/cbor/accepted");
        assertThat(FleetTopics.rejected(FleetTopics.registerThing("t", PayloadFormat.CBOR)))
                .isEqualTo("$aws/provisioning-templates/t/provision/cbor/rejected");
    }

    @Test
    void refusesTemplateNamesThatCannotBeTopicLevels() {
        assertThatThrownBy(() -> FleetTopics.registerThing("a/b", PayloadFormat.JSON))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FleetTopics.registerThing("x".repeat(37), PayloadFormat.JSON))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesRequestTopicsOnly() {
        var register = FleetTopics.parseRequest("$aws/provisioning-templates/tpl_1/provision/cbor")
                .orElseThrow();
        assertThat(register.operation()).isEqualTo(FleetOperation.REGISTER_THING);
        assertThat(register.templateName()).isEqualTo("tpl_1");
        assertThat(register.format()).isEqualTo(PayloadFormat.CBOR);
        assertThat(register.acceptedTopic()).isEqualTo("$aws/provisioning-templates/tpl_1/provision/cbor/accepted");

        assertThat(FleetTopics.parseRequest("$aws/certificates/create/json")
                        .orElseThrow()
                        .operation())
                .isEqualTo(FleetOperation.CREATE_KEYS_AND_CERTIFICATE);
        assertThat(FleetTopics.parseRequest("$aws/certificates/create-from-csr/json")
                        .orElseThrow()
                        .operation())
                .isEqualTo(FleetOperation.CREATE_CERTIFICATE_FROM_CSR);

        assertThat(FleetTopics.parseRequest("$aws/certificates/create/json/accepted"))
                .isEmpty();
        assertThat(FleetTopics.parseRequest("$aws/certificates/create/xml")).isEmpty();
        assertThat(FleetTopics.parseRequest("devices/thing/telemetry")).isEmpty();
    }
}
