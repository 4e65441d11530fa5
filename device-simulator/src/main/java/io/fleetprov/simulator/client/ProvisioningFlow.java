package io.fleetprov.simulator.client;

import io.fleetprov.protocol.FleetOperation;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.simulator.claim.ClaimBundle;
import io.fleetprov.simulator.claim.ClaimSource;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One device's whole trusted-user flow: get a claim, connect with it, create a certificate (keys or CSR),
 * RegisterThing, disconnect, reconnect with its own certificate as client id = thing name, and make one publish
 * its policy allows. Timing goes to a {@link FlowListener}; CPU-heavy work (key generation, CSR signing) runs on
 * {@code cpu}, never on the event loops.
 */
public final class ProvisioningFlow {

    private final Vertx vertx;
    private final EventLoopContexts contexts;
    private final MqttTarget target;
    private final FlowOptions options;
    private final Executor cpu;

    public ProvisioningFlow(Vertx vertx, MqttTarget target, FlowOptions options, Executor cpu) {
        this.vertx = vertx;
        this.contexts = new EventLoopContexts(vertx);
        this.target = target;
        this.options = options;
        this.cpu = cpu;
    }

    public FlowOptions options() {
        return options;
    }

    /**
     * Provisions the device and disconnects it. Latency of the claim phase and the total is measured from
     * {@code intendedStartNanos}, when the device should have started, so waiting for a free slot counts.
     */
    public CompletableFuture<ProvisionedDevice> provision(
            String serial, ClaimSource claims, long intendedStartNanos, FlowListener listener) {
        return provisionConnected(serial, claims, intendedStartNanos, listener)
                .thenCompose(connected -> connected.connection().disconnect().thenApply(ignored -> connected.device()));
    }

    /** Like {@link #provision} but leaves the device connected with its own certificate (soak). */
    public CompletableFuture<Connected> provisionConnected(
            String serial, ClaimSource claims, long intendedStartNanos, FlowListener listener) {
        CompletableFuture<KeyPair> deviceKey = options.mode() == ProvisioningMode.CSR
                ? CompletableFuture.supplyAsync(options.keyType()::generate, cpu)
                : CompletableFuture.completedFuture(null);
        Session session = new Session(serial, listener);
        return session.timed(
                        Phase.CLAIM,
                        intendedStartNanos,
                        () -> options.backoff()
                                .retryThrottled(() -> claims.claim(serial), () -> listener.throttled(Phase.CLAIM)))
                .thenCompose(claim -> reconnecting(
                        session,
                        () -> session.timed(Phase.CONNECT_WITH_CLAIM, () -> connect(claim.credentials(), serial))
                                .thenCompose(claimConnection -> {
                                    session.claimConnection =
                                            new FleetProvisioningClient(claimConnection, options.format());
                                    return deviceKey;
                                })
                                .thenCompose(key -> session.timed(
                                        Phase.CREATE_CERTIFICATE, () -> createCertificate(session, key)))))
                .thenCompose(created -> session.timed(
                                Phase.REGISTER_THING,
                                () -> options.backoff()
                                        .retryThrottled(
                                                () -> session.claimConnection.registerThing(
                                                        options.templateName(),
                                                        created.token(),
                                                        options.parametersFor(serial)),
                                                () -> listener.throttled(Phase.REGISTER_THING)))
                        .thenApply(registered -> new ProvisionedDevice(
                                serial,
                                registered.thingName(),
                                created.credentials(),
                                registered.deviceConfiguration())))
                .thenCompose(device -> session.claimConnection
                        .connection()
                        .disconnect()
                        .thenCompose(ignored -> reconnecting(
                                session,
                                () -> session.timed(
                                                Phase.RECONNECT,
                                                () -> connect(device.credentials(), device.thingName()))
                                        .thenCompose(own -> session.timed(
                                                        Phase.FIRST_PUBLISH,
                                                        () -> own.publish(
                                                                options.publishTopicFor(device.thingName(), serial),
                                                                telemetry(serial, 0)))
                                                .thenApply(ignored2 -> new Connected(device, own))
                                                .whenComplete((ok, error) -> {
                                                    if (error != null) {
                                                        own.close();
                                                    }
                                                }))))
                        .thenApply(connected -> {
                            listener.phaseCompleted(Phase.TOTAL, intendedStartNanos, System.nanoTime());
                            return connected;
                        }))
                .whenComplete((ok, error) -> session.closeClaimConnection());
    }

    /** Attempts at a step whose connection was lost before an answer: the first and this many more. */
    static final int CONNECTION_RETRIES = 2;

    /**
     * Runs {@code step} (connect and the requests on that connection) again on a new connection when the broker
     * closed the old one before answering — a device SDK reconnects too. Only steps that are safe to repeat use it:
     * connecting, CreateKeysAndCertificate/CreateCertificateFromCsr (an unused certificate is simply abandoned, as
     * its ownership token expires) and the first publish; not RegisterThing, whose token works once. Each retry is
     * counted, so the report shows it.
     */
    private <T> CompletableFuture<T> reconnecting(Session session, Supplier<CompletableFuture<T>> step) {
        return retryOnConnectionLoss(step, session.listener::retried, session::closeClaimConnection, 0);
    }

    static <T> CompletableFuture<T> retryOnConnectionLoss(
            Supplier<CompletableFuture<T>> step,
            java.util.function.Consumer<String> onRetry,
            Runnable beforeRetry,
            int retry) {
        CompletableFuture<T> attempt;
        try {
            attempt = step.get();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.exceptionallyCompose(error -> {
            Throwable cause = DeviceClient.unwrap(error);
            if (retry >= CONNECTION_RETRIES
                    || !(cause instanceof FlowException flow)
                    || !DeviceException.CONNECTION_LOST.equals(flow.failure().errorCode())) {
                return CompletableFuture.failedFuture(cause);
            }
            onRetry.accept(flow.key());
            beforeRetry.run();
            long pauseMillis = ThreadLocalRandom.current().nextLong(50, 250);
            return CompletableFuture.runAsync(
                            () -> {}, CompletableFuture.delayedExecutor(pauseMillis, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> retryOnConnectionLoss(step, onRetry, beforeRetry, retry + 1));
        });
    }

    /** Runs one faulty device and reports whether the server refused it the way it should. */
    public CompletableFuture<FaultResult> runFault(String serial, ClaimSource claims, FaultMode fault) {
        Session session = new Session(serial, FlowListener.NONE);
        CompletableFuture<FaultResult> result = claims.claim(serial).thenCompose(claim -> switch (fault) {
            case EXPIRED_CLAIM ->
                afterExpiry(claim).thenCompose(ignored -> expectConnectRefused(fault, claim.credentials(), serial));
            case DISCONNECT_AFTER_CREATE ->
                connectWithClaim(session, claim)
                        .thenCompose(ignored ->
                                createCertificate(session, options.keyType().generate()))
                        .thenCompose(created -> session.claimConnection
                                .connection()
                                .disconnect()
                                .thenCompose(ignored -> expectConnectRefused(fault, created.credentials(), serial)));
            case MALFORMED_PAYLOAD ->
                connectWithClaim(session, claim)
                        .thenCompose(ignored -> session.claimConnection.raw(
                                FleetOperation.CREATE_CERTIFICATE_FROM_CSR, null, malformed(options.format())))
                        .handle((ok, error) -> expectRejection(fault, error, "InvalidPayload"));
            case REUSE_TOKEN ->
                connectWithClaim(session, claim)
                        .thenCompose(ignored ->
                                createCertificate(session, options.keyType().generate()))
                        .thenCompose(created -> session.claimConnection
                                .registerThing(options.templateName(), created.token(), options.parametersFor(serial))
                                .thenCompose(first -> session.claimConnection.registerThing(
                                        options.templateName(), created.token(), options.parametersFor(serial))))
                        .handle((ok, error) -> expectRejection(fault, error, "InvalidCertificateOwnershipToken"));
            case WRONG_SERIAL ->
                connectWithClaim(session, claim)
                        .thenCompose(ignored ->
                                createCertificate(session, options.keyType().generate()))
                        .thenCompose(created -> session.claimConnection.registerThing(
                                options.templateName(), created.token(), options.parametersFor("wrong-" + serial)))
                        .handle((ok, error) -> expectRejection(fault, error, "AccessDenied"));
        });
        return result.exceptionally(error -> {
                    // Refused before the fault could even be injected: that is the system misbehaving, not as expected.
                    Throwable cause = DeviceClient.unwrap(error);
                    String code = cause instanceof DeviceException d
                            ? d.errorCode()
                            : cause.getClass().getSimpleName();
                    return new FaultResult(fault, "setup failed: " + code, false);
                })
                .whenComplete((ok, error) -> session.closeClaimConnection());
    }

    private CompletableFuture<Void> connectWithClaim(Session session, ClaimBundle claim) {
        return connect(claim.credentials(), session.serial)
                .thenAccept(connection ->
                        session.claimConnection = new FleetProvisioningClient(connection, options.format()));
    }

    private CompletableFuture<Void> afterExpiry(ClaimBundle claim) {
        Instant expiry = claim.expiresAt() == null ? Instant.now().plus(Duration.ofMinutes(5)) : claim.expiresAt();
        long waitMillis = Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 1_500;
        return CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS));
    }

    private CompletableFuture<FaultResult> expectConnectRefused(
            FaultMode fault, DeviceCredentials credentials, String clientId) {
        return connect(credentials, clientId).handle((connection, error) -> {
            if (error == null) {
                connection.close();
                return new FaultResult(fault, FaultResult.ACCEPTED, false);
            }
            String code = ((DeviceException) DeviceClient.unwrap(error)).errorCode();
            // A refusal is a closed handshake or a CONNACK error; a timeout proves nothing.
            return new FaultResult(fault, code, !DeviceException.TIMEOUT.equals(code));
        });
    }

    private static FaultResult expectRejection(FaultMode fault, Throwable error, String expectedCode) {
        if (error == null) {
            return new FaultResult(fault, FaultResult.ACCEPTED, false);
        }
        Throwable cause = DeviceClient.unwrap(error);
        if (cause instanceof ProvisioningRejectedException rejected) {
            return new FaultResult(fault, rejected.errorCode(), expectedCode.equals(rejected.errorCode()));
        }
        String code = cause instanceof DeviceException d
                ? d.errorCode()
                : cause.getClass().getSimpleName();
        return new FaultResult(fault, code, false);
    }

    private static byte[] malformed(PayloadFormat format) {
        // A truncated object in either encoding: a map announced with two entries and cut off after one key.
        return format == PayloadFormat.JSON
                ? "{\"certificateSigningRequest\":".getBytes(StandardCharsets.UTF_8)
                : new byte[] {(byte) 0xA2, 0x61, 'a'};
    }

    private CompletableFuture<DeviceClient> connect(DeviceCredentials credentials, String clientId) {
        return DeviceClient.connect(
                vertx, contexts.next(), options.mqttVersion(), target, credentials, clientId, options.timeout());
    }

    private CompletableFuture<Created> createCertificate(Session session, KeyPair deviceKey) {
        FleetProvisioningClient client = session.claimConnection;
        if (options.mode() == ProvisioningMode.KEYS) {
            return options.backoff()
                    .retryThrottled(
                            client::createKeysAndCertificate,
                            () -> session.listener.throttled(Phase.CREATE_CERTIFICATE))
                    .thenApply(r -> new Created(
                            new DeviceCredentials(r.certificateId(), r.certificatePem(), r.privateKey()),
                            r.certificateOwnershipToken()));
        }
        return CompletableFuture.supplyAsync(() -> PemCodec.csr(deviceKey, options.keyType(), session.serial), cpu)
                .thenCompose(csr -> options.backoff()
                        .retryThrottled(
                                () -> client.createCertificateFromCsr(csr),
                                () -> session.listener.throttled(Phase.CREATE_CERTIFICATE)))
                .thenApply(r -> new Created(
                        new DeviceCredentials(
                                r.certificateId(),
                                r.certificatePem(),
                                PemCodec.pkcs8(deviceKey.getPrivate()),
                                deviceKey.getPrivate()),
                        r.certificateOwnershipToken()));
    }

    /** The telemetry a device sends first; JSON whatever the provisioning format, like most device fleets. */
    public static byte[] telemetry(String serial, long sequence) {
        return ("{\"serialNumber\":\"" + serial + "\",\"seq\":" + sequence + ",\"ts\":" + System.currentTimeMillis()
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A provisioned device still connected with its own certificate. */
    public record Connected(ProvisionedDevice device, DeviceClient connection) {

        /** What a soak keeps of this device for as long as it stays connected. */
        public Held held() {
            return new Held(device.serialNumber(), device.thingName(), connection);
        }
    }

    /**
     * A connected device as a soak holds it, thousands at once for the whole soak: its names and its connection. Not
     * its credentials: the connection's TLS engine already has the key and the certificate's DER, and the PEM
     * certificate, PEM key and configuration {@link ProvisionedDevice} carries were about 1 KiB of heap per
     * connected device (README, "Memory per connected device").
     */
    public record Held(String serialNumber, String thingName, DeviceClient connection) {}

    private record Created(DeviceCredentials credentials, String token) {}

    /** Per-device state threaded through the stages. */
    private static final class Session {
        final String serial;
        final FlowListener listener;
        volatile FleetProvisioningClient claimConnection;

        Session(String serial, FlowListener listener) {
            this.serial = serial;
            this.listener = listener;
        }

        <T> CompletableFuture<T> timed(Phase phase, Supplier<CompletableFuture<T>> step) {
            return timed(phase, System.nanoTime(), step);
        }

        <T> CompletableFuture<T> timed(Phase phase, long startNanos, Supplier<CompletableFuture<T>> step) {
            CompletableFuture<T> future;
            try {
                future = step.get();
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            return future.handle((value, error) -> {
                if (error != null) {
                    Throwable cause = DeviceClient.unwrap(error);
                    if (cause instanceof FlowException flow) {
                        throw flow;
                    }
                    throw new FlowException(phase, DeviceClient.classify(cause, phase.label()));
                }
                listener.phaseCompleted(phase, startNanos, System.nanoTime());
                return value;
            });
        }

        void closeClaimConnection() {
            FleetProvisioningClient client = claimConnection;
            if (client != null && client.connection().isConnected()) {
                client.connection().close();
            }
        }
    }
}
