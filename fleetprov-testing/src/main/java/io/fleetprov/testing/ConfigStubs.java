package io.fleetprov.testing;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Instances of a service's {@code @ConfigMapping} interfaces for tests that build a bean without Quarkus. */
public final class ConfigStubs {

    private ConfigStubs() {}

    /** A configuration interface answering each method by name from {@code values} (null for a name not there). */
    public static <T> T of(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> values.get(method.getName())));
    }
}
