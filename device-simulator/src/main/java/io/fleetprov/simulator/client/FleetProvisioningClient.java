package io.fleetprov.simulator.client;

import io.fleetprov.protocol.FleetOperation;
import io.fleetprov.protocol.FleetTopics;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.model.CreateCertificateFromCsrRequest;
import io.fleetprov.protocol.model.CreateCertificateFromCsrResponse;
import io.fleetprov.protocol.model.CreateKeysAndCertificateResponse;
import io.fleetprov.protocol.model.ErrorResponse;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.fleetprov.protocol.model.RegisterThingResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The three fleet-provisioning operations over one device's connection, in JSON or CBOR, with the payload records
 * of {@code fleet-protocol}. A {@code /rejected} answer fails the future with {@link ProvisioningRejectedException}.
 */
public final class FleetProvisioningClient {

    private final DeviceClient connection;
    private final PayloadCodec codec;

    public FleetProvisioningClient(DeviceClient connection, PayloadFormat format) {
        this.connection = connection;
        this.codec = PayloadCodec.of(format);
    }

    public DeviceClient connection() {
        return connection;
    }

    public PayloadFormat format() {
        return codec.format();
    }

    public CompletableFuture<CreateKeysAndCertificateResponse> createKeysAndCertificate() {
        // AWS documents an empty payload; an empty object is what the device SDK sends and both are accepted.
        return call(
                FleetOperation.CREATE_KEYS_AND_CERTIFICATE,
                FleetTopics.createKeysAndCertificate(format()),
                codec.encode(Map.of()),
                CreateKeysAndCertificateResponse.class);
    }

    public CompletableFuture<CreateCertificateFromCsrResponse> createCertificateFromCsr(String csrPem) {
        return call(
                FleetOperation.CREATE_CERTIFICATE_FROM_CSR,
                FleetTopics.createCertificateFromCsr(format()),
                codec.encode(new CreateCertificateFromCsrRequest(csrPem)),
                CreateCertificateFromCsrResponse.class);
    }

    public CompletableFuture<RegisterThingResponse> registerThing(
            String templateName, String ownershipToken, Map<String, String> parameters) {
        return call(
                FleetOperation.REGISTER_THING,
                FleetTopics.registerThing(templateName, format()),
                codec.encode(new RegisterThingRequest(ownershipToken, parameters)),
                RegisterThingResponse.class);
    }

    /** Sends {@code payload} as is on an operation's request topic: for fault injection (malformed payloads). */
    public CompletableFuture<byte[]> raw(FleetOperation operation, String templateName, byte[] payload) {
        return call(operation, FleetTopics.request(operation, templateName, format()), payload, byte[].class);
    }

    private <T> CompletableFuture<T> call(FleetOperation operation, String topic, byte[] payload, Class<T> type) {
        return connection.request(topic, payload).thenApply(reply -> {
            if (!reply.accepted()) {
                throw new ProvisioningRejectedException(operation, codec.decode(reply.payload(), ErrorResponse.class));
            }
            if (type == byte[].class) {
                return type.cast(reply.payload());
            }
            return codec.decode(reply.payload(), type);
        });
    }
}
