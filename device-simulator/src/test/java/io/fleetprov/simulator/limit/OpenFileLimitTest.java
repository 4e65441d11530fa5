package io.fleetprov.simulator.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenFileLimitTest {

    private final OpenFileLimit twentyThousand = new OpenFileLimit(20_000);

    @Test
    void aRunThatFitsIsNotRefused() {
        assertThat(twentyThousand.refusal("this soak", 19_000, 19_000)).isEmpty();
        assertThat(twentyThousand.refusal("this soak", 20_000 - OpenFileLimit.RESERVE, 40_000))
                .isEmpty();
    }

    @Test
    void aRunThatCannotFitSaysHowManyFitAndHowManyShards() {
        assertThat(twentyThousand.refusal("this soak", 50_000, 50_000))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("50000 connections", "20000 files (ulimit -n)", "19488 connections fit")
                        .contains("3 shards"));
    }

    @Test
    void aLimitBelowTheReserveFitsNothing() {
        assertThat(new OpenFileLimit(256).connectionsThatFit()).isZero();
        assertThat(new OpenFileLimit(256).refusal("this run", 1, 1))
                .hasValueSatisfying(message -> assertThat(message).contains("more shards"));
    }

    @Test
    void thisProcessHasALimitOnLinux() {
        assertThat(OpenFileLimit.ofThisProcess())
                .hasValueSatisfying(limit -> assertThat(limit.limit()).isPositive());
    }
}
