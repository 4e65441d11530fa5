package io.fleetprov.emulator.broker;

import io.fleetprov.emulator.provisioning.FleetErrors;
import io.fleetprov.emulator.provisioning.FleetProvisioningException;
import io.fleetprov.emulator.provisioning.FleetProvisioningService;
import io.fleetprov.protocol.FleetOperation;
import io.fleetprov.protocol.FleetTopics;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.codec.PayloadException;
import io.fleetprov.protocol.model.CreateCertificateFromCsrRequest;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBufUtil;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the fleet-provisioning MQTT API: a publish on a request topic is decoded, handed to the
 * {@link FleetProvisioningService} on a worker pool (key generation and signing are CPU work that must not hold
 * Moquette's threads; RegisterThing, which waits for its hook, on a pool of its own), and the answer goes to
 * {@code /accepted} or {@code /rejected} of the requesting connection only.
 */
final class ProvisioningRequestHandler extends AbstractInterceptHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningRequestHandler.class);

    private final FleetProvisioningService service;
    private final ClientIdentities identities;
    private final ReplyChannel replies;
    private final ExecutorService workers;
    private final ExecutorService registrations;

    /** Delivers an answer to one client; the fault injector may drop it. */
    interface ReplyChannel {
        void reply(String clientId, String topic, byte[] payload, boolean accepted);
    }

    ProvisioningRequestHandler(
            FleetProvisioningService service,
            ClientIdentities identities,
            ReplyChannel replies,
            ExecutorService workers,
            ExecutorService registrations) {
        this.service = service;
        this.identities = identities;
        this.replies = replies;
        this.workers = workers;
        this.registrations = registrations;
    }

    @Override
    public String getID() {
        return "fleet-provisioning";
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
        try {
            FleetTopics.parseRequest(msg.getTopicName()).ifPresent(request -> {
                byte[] payload = ByteBufUtil.getBytes(msg.getPayload());
                String clientId = msg.getClientID();
                String connection = msg.getUsername();
                try {
                    ExecutorService pool =
                            request.operation() == FleetOperation.REGISTER_THING ? registrations : workers;
                    pool.execute(() -> handle(clientId, connection, request, payload));
                } catch (RejectedExecutionException e) {
                    LOG.debug("broker stopping; request from {} dropped", clientId);
                }
            });
        } finally {
            super.onPublish(msg);
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        LOG.warn("Moquette session loop error", error);
    }

    private void handle(String clientId, String connection, FleetTopics.RequestTopic request, byte[] payload) {
        PayloadCodec codec = PayloadCodec.of(request.format());
        byte[] answer;
        boolean accepted;
        try {
            ClientIdentity caller = identities
                    .of(connection, clientId)
                    .orElseThrow(() -> FleetErrors.accessDenied("The client is no longer connected."));
            Object response = switch (request.operation()) {
                case CREATE_KEYS_AND_CERTIFICATE -> {
                    codec.decode(payload, java.util.Map.class);
                    yield service.createKeysAndCertificate(clientId, caller.certificateId());
                }
                case CREATE_CERTIFICATE_FROM_CSR ->
                    service.createCertificateFromCsr(
                            clientId,
                            caller.certificateId(),
                            codec.decode(payload, CreateCertificateFromCsrRequest.class));
                case REGISTER_THING ->
                    service.registerThing(
                            clientId,
                            caller.certificateId(),
                            request.templateName(),
                            codec.decode(payload, RegisterThingRequest.class));
            };
            answer = codec.encode(response);
            accepted = true;
        } catch (PayloadException e) {
            answer = codec.encode((e.reason() == PayloadException.Reason.OVERSIZED
                            ? FleetErrors.payloadTooLarge(e.getMessage())
                            : FleetErrors.invalidPayload(e.getMessage()))
                    .toErrorResponse());
            accepted = false;
        } catch (FleetProvisioningException e) {
            answer = codec.encode(e.toErrorResponse());
            accepted = false;
        } catch (RuntimeException e) {
            LOG.error("{} from {} failed", request.operation(), clientId, e);
            answer = codec.encode(FleetErrors.internal("Internal error.").toErrorResponse());
            accepted = false;
        }
        replies.reply(clientId, accepted ? request.acceptedTopic() : request.rejectedTopic(), answer, accepted);
    }
}
