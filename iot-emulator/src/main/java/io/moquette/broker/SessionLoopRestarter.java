package io.moquette.broker;

import java.lang.reflect.Field;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Moquette 0.17's session loops alive. Each client's commands run on one of a few loop threads (chosen by
 * client id), and a command that throws ends its thread for good: {@code SessionEventLoop} rethrows and nothing
 * starts a new one, so every client whose id maps to that loop then hangs at CONNECT. A late PUBACK from a client
 * whose clean session was already cleaned up is enough (Moquette releases the message a second time). This puts a
 * new loop on the same queue in place of one that died; the command that threw is lost, as it was.
 */
public final class SessionLoopRestarter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLoopRestarter.class);

    private final SessionEventLoop[] loops;
    private final BlockingQueue<FutureTask<String>>[] queues;

    private SessionLoopRestarter(SessionEventLoopGroup group) throws ReflectiveOperationException {
        this.loops = (SessionEventLoop[]) read(group, "sessionExecutors");
        @SuppressWarnings("unchecked")
        var queues = (BlockingQueue<FutureTask<String>>[]) read(group, "sessionQueues");
        this.queues = queues;
    }

    /** Watches the session loops of a started server. */
    public static void watch(Server server) {
        try {
            PostOffice postOffice = (PostOffice) read(server, "dispatcher");
            var restarter = new SessionLoopRestarter((SessionEventLoopGroup) read(postOffice, "sessionLoops"));
            for (int i = 0; i < restarter.loops.length; i++) {
                restarter.watch(i, restarter.loops[i]);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unsupported Moquette version", e);
        }
    }

    private void watch(int index, SessionEventLoop loop) {
        Thread.UncaughtExceptionHandler moquettes = loop.getUncaughtExceptionHandler();
        loop.setUncaughtExceptionHandler((thread, error) -> {
            moquettes.uncaughtException(thread, error);
            if (thread.isInterrupted()) {
                return; // the server is stopping
            }
            LOG.warn("Moquette session loop {} died; starting a new one", thread.getName(), error);
            SessionEventLoop replacement = new SessionEventLoop(queues[index]);
            replacement.setName(thread.getName());
            replacement.setUncaughtExceptionHandler(moquettes);
            watch(index, replacement);
            loops[index] = replacement;
            replacement.start();
        });
    }

    private static Object read(Object target, String name) throws ReflectiveOperationException {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
