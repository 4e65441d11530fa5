package io.fleetprov.emulator.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Right after TLS on a port that, like AWS IoT's 443, serves MQTT only to clients that negotiated ALPN {@code
 * x-amzn-mqtt-ca}: any other outcome of the handshake (no ALPN offered, only other protocols offered) closes the
 * connection before a byte of MQTT is read. The TLS context itself selects the protocol without requiring it (the
 * OpenSSL engine cannot fail a handshake on ALPN), so the requirement is enforced here.
 */
final class AlpnRequired extends ChannelInboundHandlerAdapter {

    static final String NAME = "alpn-required";

    private final String protocol;
    private boolean negotiated;

    AlpnRequired(String protocol) {
        this.protocol = protocol;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            negotiated = protocol.equals(ctx.pipeline().get(SslHandler.class).applicationProtocol());
            if (!negotiated) {
                ctx.close();
                return;
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!negotiated) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
