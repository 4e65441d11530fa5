package io.fleetprov.claims.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache's own rules, on a clock the test moves: exact bytes only, never past exp or max-age, bounded. */
class VerifiedBearerTokensTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long MAX_AGE = 300_000;

    private final AtomicLong clock = new AtomicLong(NOW);
    private final VerifiedBearerTokens tokens = new VerifiedBearerTokens(3, MAX_AGE, clock::get);

    private static SecurityIdentity identity(String name) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name))
                .build();
    }

    private static long seconds(long millis) {
        return millis / 1000;
    }

    @Test
    void onlyTheExactTokenIsFound() {
        tokens.remember("aaa.bbb.ccc", identity("alice"), seconds(NOW) + 3600);

        assertThat(tokens.lookup("aaa.bbb.ccc"))
                .get()
                .extracting(i -> i.getPrincipal().getName())
                .isEqualTo("alice");
        assertThat(tokens.lookup("aaa.bbb.ccd")).isEmpty();
        assertThat(tokens.lookup("aaa.bbx.ccc")).isEmpty();
        assertThat(tokens.lookup("aaa.bbb.ccc ")).isEmpty();
        assertThat(tokens.hits()).isEqualTo(1);
    }

    @Test
    void neverPastTheTokensExp() {
        tokens.remember("t", identity("alice"), seconds(NOW) + 10);

        clock.set(NOW + 9_999);
        assertThat(tokens.lookup("t")).isPresent();
        clock.set(NOW + 10_000);
        assertThat(tokens.lookup("t")).isEmpty();
        // and it is gone, not only hidden
        clock.set(NOW);
        assertThat(tokens.lookup("t")).isEmpty();
    }

    @Test
    void neverLongerThanMaxAgeAfterItWasVerified() {
        tokens.remember("t", identity("alice"), seconds(NOW) + 3600);

        clock.set(NOW + MAX_AGE - 1);
        assertThat(tokens.lookup("t")).isPresent();
        clock.set(NOW + MAX_AGE);
        assertThat(tokens.lookup("t")).isEmpty();
    }

    @Test
    void expiredOrExpLessTokensAreNotRemembered() {
        tokens.remember("expired", identity("alice"), seconds(NOW));
        tokens.remember("no-exp", identity("alice"), 0);

        assertThat(tokens.lookup("expired")).isEmpty();
        assertThat(tokens.lookup("no-exp")).isEmpty();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void boundedWhenFullEntriesPastTheirTimeMakeRoomAndOthersAreNotRemembered() {
        tokens.remember("short", identity("a"), seconds(NOW) + 5);
        tokens.remember("b", identity("b"), seconds(NOW) + 3600);
        tokens.remember("c", identity("c"), seconds(NOW) + 3600);

        tokens.remember("d", identity("d"), seconds(NOW) + 3600);
        assertThat(tokens.lookup("d")).isEmpty();

        clock.set(NOW + 5_000);
        tokens.remember("d", identity("d"), seconds(NOW) + 3600);
        assertThat(tokens.lookup("d")).isPresent();
        assertThat(tokens.lookup("b")).isPresent();
        assertThat(tokens.size()).isEqualTo(3);
    }

    @Test
    void offWithNoEntries() {
        VerifiedBearerTokens off = new VerifiedBearerTokens(0, MAX_AGE, clock::get);
        off.remember("t", identity("alice"), seconds(NOW) + 3600);
        assertThat(off.lookup("t")).isEmpty();
    }
}
