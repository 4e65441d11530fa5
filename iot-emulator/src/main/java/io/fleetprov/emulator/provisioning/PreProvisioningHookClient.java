package io.fleetprov.emulator.provisioning;

import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.codec.PayloadException;
import io.fleetprov.protocol.hook.PreProvisioningHookRequest;
import io.fleetprov.protocol.hook.PreProvisioningHookResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls a template's pre-provisioning hook. On AWS the target is a Lambda function; locally it is an HTTP(S) URL
 * that receives the same JSON payload. Any failure — non-2xx, malformed or oversized answer, timeout — counts as a
 * denial, as on AWS.
 */
public final class PreProvisioningHookClient {

    /** Lambda's bound on a synchronous invocation's answer: the emulator refuses no answer AWS would take. */
    static final int MAX_ANSWER_BYTES = 6 * 1024 * 1024;

    /** Thrown when the hook cannot give an answer; the message says why, for the rejected payload. */
    public static final class HookFailure extends Exception {
        public HookFailure(String message) {
            super(message);
        }
    }

    /**
     * HTTP/1.1 with the client's keep-alive pool, not the JDK client's default HTTP/2 (over http:// an h2c upgrade,
     * then frames, HPACK and flow control on the client's scheduler threads): a hook call is one small request and
     * one small answer, on the provisioning path of every device. Connections are reused either way; concurrent
     * calls each take one of the pool's.
     */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Map<String, String> headers;
    private final HookUrlScope headerScope;

    /**
     * {@code headers} (e.g. the shared secret the hook endpoint expects) are added to calls to the URLs
     * {@code headerScope} allows, and to no other.
     */
    public PreProvisioningHookClient(Map<String, String> headers, HookUrlScope headerScope) {
        this.headers = Map.copyOf(headers);
        this.headerScope = headerScope;
    }

    public PreProvisioningHookResponse invoke(String target, PreProvisioningHookRequest request, Duration timeout)
            throws HookFailure {
        if (!target.startsWith("http://") && !target.startsWith("https://")) {
            throw new HookFailure("pre-provisioning hook target " + target
                    + " is not an http(s) URL; the emulator cannot invoke Lambda functions");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PayloadCodec.json().encode(request)));
        if (headerScope.allows(target)) {
            headers.forEach(builder::header);
        }
        // The request's timeout ends when the answer's headers arrive; AWS's deadline is the whole answer's, so a
        // hook that sends its headers in time and then its body a byte at a time is cut off here.
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(builder.build(), answer -> new BoundedBody());
        try {
            HttpResponse<byte[]> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() / 100 != 2) {
                throw new HookFailure("pre-provisioning hook answered HTTP " + response.statusCode());
            }
            return PayloadCodec.json().decode(response.body(), PreProvisioningHookResponse.class);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw late(timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                throw late(timeout);
            }
            if (e.getCause() instanceof AnswerTooLarge) {
                throw new HookFailure("pre-provisioning hook answered more than " + MAX_ANSWER_BYTES + " bytes");
            }
            throw new HookFailure("pre-provisioning hook could not be reached: "
                    + e.getCause().getMessage());
        } catch (PayloadException e) {
            throw new HookFailure("pre-provisioning hook gave a malformed answer: " + e.getMessage());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new HookFailure("interrupted while calling the pre-provisioning hook");
        }
    }

    private static HookFailure late(Duration timeout) {
        return new HookFailure("pre-provisioning hook did not answer within " + timeout.toMillis() + " ms");
    }

    private static final class AnswerTooLarge extends IOException {
        AnswerTooLarge() {
            super("answer larger than " + MAX_ANSWER_BYTES + " bytes");
        }
    }

    /**
     * The answer's bytes, up to {@link #MAX_ANSWER_BYTES}; beyond, the exchange is cancelled: a hook that answers
     * without end would otherwise fill the emulator's heap within its deadline.
     */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (bytes.size() + buffer.remaining() > MAX_ANSWER_BYTES) {
                    subscription.cancel();
                    body.completeExceptionally(new AnswerTooLarge());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
