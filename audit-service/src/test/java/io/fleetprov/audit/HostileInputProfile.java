package io.fleetprov.audit;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The hostile-input tests run in an application of their own, with its own database and broker (test resources
 * restart with the profile): the thousands of odd events they leave behind stay out of the other tests' queries.
 */
public class HostileInputProfile implements QuarkusTestProfile {}
