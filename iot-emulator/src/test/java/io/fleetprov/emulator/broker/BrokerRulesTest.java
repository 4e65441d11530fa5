package io.fleetprov.emulator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The broker's rules that need no connection: which topics AWS reserves, and what a connection token says. */
class BrokerRulesTest {

    @ParameterizedTest
    @CsvSource({
        "$aws/certificates/create/json,false",
        "$aws/certificates/create/cbor,false",
        "$aws/certificates/create-from-csr/json,false",
        "$aws/provisioning-templates/my-template/provision/cbor,false",
        "$aws/certificates/create/json/accepted,true",
        "$aws/certificates/create/json/rejected,true",
        "$aws/provisioning-templates/my-template/provision/json/accepted,true",
        "$aws/certificates/create/xml,true",
        "$aws/events/presence/connected/someone,true",
        "$aws/things/t/shadow/update,true",
        "$aws/,true",
        "devices/d1/telemetry,false",
        "aws/certificates/create/json/accepted,false"
    })
    void clientsPublishUnderAwsOnlyToRequestTopics(String topic, boolean reserved) {
        assertThat(PolicyAuthorizer.isReservedForAws(topic)).isEqualTo(reserved);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"?SDK=JavaV2&Version=1.23.0", "fleetprov-connection/12", "someone/else/abc"})
    void aUserNameThatIsNotAConnectionTokenNamesNoCertificate(String userName) {
        assertThat(ClientIdentities.certificateIdOf(userName)).isEmpty();
    }

    @Test
    void eachConnectionTokenIsNewAndNamesItsCertificate() {
        var identities = new ClientIdentities(null);
        String token = identities.tokenFor(new ClientIdentity("client", "ab12", null, "2001:db8::1"));
        assertThat(ClientIdentities.certificateIdOf(token)).contains("ab12");
        assertThat(ClientIdentities.sourceIpOf(token)).contains("2001:db8::1");
        assertThat(identities.tokenFor(new ClientIdentity("client", "ab12", null, "2001:db8::1")))
                .isNotEqualTo(token);
        String noAddress = identities.tokenFor(new ClientIdentity("client", "cd34", null, null));
        assertThat(ClientIdentities.certificateIdOf(noAddress)).contains("cd34");
        assertThat(ClientIdentities.sourceIpOf(noAddress)).isEmpty();
    }
}
