package io.fleetprov.emulator.broker;

import io.fleetprov.moquette.BrokerInternals;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * What AWS IoT does around a connection that Moquette does not: the iot:Connect policy check, keep-alive clamped
 * to AWS's 30–1200 s (0 or more than 1200 becomes 1200; idle disconnect after 1.5×), and forgetting the client's
 * identity when it leaves.
 */
final class ConnectionLifecycle extends AbstractInterceptHandler {

    static final int MIN_KEEP_ALIVE_SECONDS = 30;
    static final int MAX_KEEP_ALIVE_SECONDS = 1200;

    private final BrokerInternals sessions;
    private final PolicyAuthorizer authorizer;
    private final ClientIdentities identities;

    ConnectionLifecycle(BrokerInternals sessions, PolicyAuthorizer authorizer, ClientIdentities identities) {
        this.sessions = sessions;
        this.authorizer = authorizer;
        this.identities = identities;
    }

    @Override
    public String getID() {
        return "connection-lifecycle";
    }

    static int clampKeepAlive(int requestedSeconds) {
        if (requestedSeconds <= 0 || requestedSeconds > MAX_KEEP_ALIVE_SECONDS) {
            return MAX_KEEP_ALIVE_SECONDS;
        }
        return Math.max(MIN_KEEP_ALIVE_SECONDS, requestedSeconds);
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        String clientId = msg.getClientID();
        if (!authorizer.canConnect(clientId)) {
            return;
        }
        int idleSeconds = Math.round(clampKeepAlive(msg.getKeepAlive()) * 1.5f);
        sessions.channel(clientId)
                .ifPresent(channel -> channel.eventLoop().execute(() -> {
                    if (channel.pipeline().get("idleStateHandler") != null) {
                        channel.pipeline()
                                .replace(
                                        "idleStateHandler",
                                        "idleStateHandler",
                                        new IdleStateHandler(idleSeconds, 0, 0));
                    }
                }));
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        // Reported by ProvisioningRequestHandler; one report per error is enough.
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        identities.forget(msg.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        identities.forget(msg.getClientID());
    }
}
