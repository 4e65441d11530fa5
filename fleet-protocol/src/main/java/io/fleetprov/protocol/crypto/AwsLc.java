package io.fleetprov.protocol.crypto;

import java.security.Provider;
import java.util.Optional;

/**
 * AWS-LC's signatures through the Amazon Corretto Crypto Provider, where its native library loads: P-256 ECDSA at
 * OpenSSL's speed, a tenth of Bouncy Castle's cost to sign and a third to verify. The jar this project declares
 * carries the Linux x86-64 library only, and modules that do not declare it (the services) go without; there, and
 * wherever the library does not load, callers keep Bouncy Castle. Used by reference, never registered globally.
 */
public final class AwsLc {

    private static final Optional<Provider> PROVIDER = load();

    private AwsLc() {}

    /** The provider, if its native library loaded in this process. */
    public static Optional<Provider> provider() {
        return PROVIDER;
    }

    private static Optional<Provider> load() {
        try {
            var accp = com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
            return accp.getLoadingError() == null ? Optional.of(accp) : Optional.empty();
        } catch (LinkageError absent) {
            return Optional.empty();
        }
    }
}
