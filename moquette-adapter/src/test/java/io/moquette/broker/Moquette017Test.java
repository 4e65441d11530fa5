package io.moquette.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Fails on any Moquette but the one the adapter was written against: a Moquette upgrade starts here, with the
 * adapter's README.md.
 */
class Moquette017Test {

    @Test
    void theMoquetteOnTheClassPathIsTheOneTheAdapterWasWrittenAgainst() {
        assertThat(Moquette017.runningVersion())
                .as(
                        "Moquette version from META-INF/maven/io.moquette/moquette-broker/pom.properties; the"
                                + " moquette-adapter module works around Moquette %s only: re-check each workaround listed in"
                                + " moquette-adapter/README.md before changing the version",
                        Moquette017.VERSION)
                .contains(Moquette017.VERSION);
    }

    @Test
    void everyMemberTheAdapterReachesIntoExists() {
        assertThat(Moquette017.missingMembers())
                .as("Moquette members the adapter reads by reflection or calls from Moquette's package")
                .isEmpty();
        assertThat(Moquette017.REFLECTED).hasSize(15);
    }

    @Test
    void aSecondTlsListenerIsOpenedThroughMoquetteMembersThatStillExist() {
        assertThat(Moquette017.ACCEPTOR_SSL_TRANSPORT.exists())
                .as("NewNettyAcceptor#initializeSSLTCPTransport, which BrokerInternals.listenTls runs again for a"
                        + " second TLS port (the emulator's --mqtt-alpn-port)")
                .isTrue();
        assertThat(Moquette017.CALLED)
                .filteredOn(m -> m.owner() == MQTTConnectionFactory.class
                        || m.owner() == NewNettyMQTTHandler.class
                        || m.owner() == BrokerConfiguration.class)
                .as("constructors listenTls builds a connection handler with, as Moquette's Server does")
                .hasSize(3)
                .allMatch(Moquette017.Member::exists);
    }
}
