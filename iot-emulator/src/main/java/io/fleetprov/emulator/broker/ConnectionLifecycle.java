package io.fleetprov.emulator.broker;

import io.fleetprov.moquette.BrokerInternals;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Keep-alive as AWS IoT applies it, which Moquette does not: clamped to 30–1200 s (0 or more than 1200 becomes 1200;
 * idle disconnect after 1.5×). The iot:Connect check is the {@link ConnectionGate}'s, before Moquette sees the
 * CONNECT.
 */
final class ConnectionLifecycle extends AbstractInterceptHandler {

    static final int MIN_KEEP_ALIVE_SECONDS = 30;
    static final int MAX_KEEP_ALIVE_SECONDS = 1200;

    private final BrokerInternals sessions;

    ConnectionLifecycle(BrokerInternals sessions) {
        this.sessions = sessions;
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
}
