package io.fleetprov.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CeilingStepRunIdTest {

    /** A search from 5/s by 1.5 reaches 7.5/s: its devices' thing names must still be valid AWS thing names. */
    @ParameterizedTest
    @ValueSource(doubles = {5.0, 7.5, 11.25, 16.875, 102.0})
    void everyStepGivesValidThingNames(double rate) {
        String thingName = "device-sim-" + CeilingCommand.stepRunId("bench-direct", rate) + "-000000";
        assertThat(thingName).matches("[a-zA-Z0-9:_-]{1,128}");
    }

    @ParameterizedTest
    @ValueSource(doubles = {7.5, 20.0})
    void stepsOfOneSearchKeepDistinctRunIds(double rate) {
        assertThat(CeilingCommand.stepRunId("run", rate)).isNotEqualTo(CeilingCommand.stepRunId("run", rate * 1.5));
    }
}
