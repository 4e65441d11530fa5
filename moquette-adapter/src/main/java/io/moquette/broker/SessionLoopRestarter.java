package io.moquette.broker;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Moquette 0.17's session loops alive. Each client's commands run on one of a few loop threads (chosen by
 * client id), and a command that throws ends its thread for good: {@code SessionEventLoop} rethrows and nothing
 * starts a new one, so every client whose id maps to that loop then hangs at CONNECT. This puts a new loop on the
 * same queue in place of one that died; the command that threw is lost, as it was.
 */
final class SessionLoopRestarter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLoopRestarter.class);

    private final SessionEventLoop[] loops;
    private final BlockingQueue<FutureTask<String>>[] queues;

    @SuppressWarnings("unchecked")
    private SessionLoopRestarter(SessionEventLoopGroup group) {
        this.loops = (SessionEventLoop[]) Moquette017.read(Moquette017.LOOP_GROUP_EXECUTORS, group);
        this.queues = (BlockingQueue<FutureTask<String>>[]) Moquette017.read(Moquette017.LOOP_GROUP_QUEUES, group);
    }

    /** Watches the session loops of a started server. */
    static void watch(SessionEventLoopGroup group) {
        var restarter = new SessionLoopRestarter(group);
        for (int i = 0; i < restarter.loops.length; i++) {
            restarter.watch(i, restarter.loops[i]);
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
}
