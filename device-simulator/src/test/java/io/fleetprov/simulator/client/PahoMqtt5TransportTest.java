package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/** How Paho's MQTT 5 failures are counted: as the classes MQTT 3.1.1 runs report, so the two compare. */
class PahoMqtt5TransportTest {

    private static DeviceException classify(MqttException e) {
        return PahoMqtt5Transport.classify(e, code -> new DeviceException("Refused" + code, "refused", null));
    }

    @Test
    void connackReasonCodesReadAsTheirMqtt311Equivalents() {
        assertThat(PahoMqtt5Transport.connackName(0x87)).isEqualTo("CONNECTION_REFUSED_NOT_AUTHORIZED");
        assertThat(PahoMqtt5Transport.connackName(0x86)).isEqualTo("CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD");
        assertThat(PahoMqtt5Transport.connackName(0x89)).isEqualTo("CONNECTION_REFUSED_SERVER_UNAVAILABLE");
        assertThat(PahoMqtt5Transport.connackName(0x97)).isEqualTo("CONNECTION_REFUSED_QUOTA_EXCEEDED");
    }

    @Test
    void reasonCodesFromTheBrokerAreRefusalsOfTheStepThatGotThem() {
        assertThat(classify(new MqttException(0x87)).errorCode()).isEqualTo("Refused135");
    }

    @Test
    void socketErrorsAreLostConnectionsSoTheFlowRetriesThem() {
        // Seen under load: "Untranslated MqttException - RC: 0" around a broken pipe while connecting.
        assertThat(classify(new MqttException(0, new SocketException("Broken pipe")))
                        .errorCode())
                .isEqualTo(DeviceException.CONNECTION_LOST);
        assertThat(classify(new MqttException(MqttClientException.REASON_CODE_SERVER_DISCONNECTED))
                        .errorCode())
                .isEqualTo(DeviceException.CONNECTION_LOST);
        assertThat(classify(new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST))
                        .errorCode())
                .isEqualTo(DeviceException.CONNECTION_LOST);
    }

    @Test
    void tlsTcpAndTimeoutsKeepTheirOwnCodes() {
        assertThat(classify(new MqttException(
                                MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR,
                                new SSLHandshakeException("bad certificate")))
                        .errorCode())
                .isEqualTo(DeviceException.TLS_HANDSHAKE);
        assertThat(classify(new MqttException(
                                MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR,
                                new ConnectException("Connection refused")))
                        .errorCode())
                .isEqualTo(DeviceException.CONNECTION_REFUSED);
        assertThat(classify(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT))
                        .errorCode())
                .isEqualTo(DeviceException.TIMEOUT);
    }
}
