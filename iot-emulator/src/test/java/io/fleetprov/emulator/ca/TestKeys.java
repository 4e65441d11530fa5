package io.fleetprov.emulator.ca;

import java.security.KeyPair;

/** Key pairs shared by the tests: RSA generation is the expensive part of this suite on a 2-core machine. */
final class TestKeys {
    static final KeyPair RSA_2048 = KeyAlgorithm.RSA_2048.generate();

    private TestKeys() {}
}
