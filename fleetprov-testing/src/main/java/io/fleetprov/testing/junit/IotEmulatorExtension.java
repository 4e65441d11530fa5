package io.fleetprov.testing.junit;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs an emulator for a test class on free ports, in memory, with EC keys. Either
 * {@code @ExtendWith(IotEmulatorExtension.class)} and take an {@link IotEmulator} parameter, or
 * <pre>{@code @RegisterExtension static IotEmulatorExtension emulator =
 *     IotEmulatorExtension.configured(b -> b.seedFile(Path.of("seed.json")));}</pre>
 */
public final class IotEmulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final UnaryOperator<EmulatorConfig.Builder> customizer;
    private IotEmulator emulator;

    public IotEmulatorExtension() {
        this(UnaryOperator.identity());
    }

    private IotEmulatorExtension(UnaryOperator<EmulatorConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    /** Test defaults (free ports, EC keys), then {@code customizer}. */
    public static IotEmulatorExtension configured(UnaryOperator<EmulatorConfig.Builder> customizer) {
        return new IotEmulatorExtension(customizer);
    }

    public IotEmulator get() {
        if (emulator == null) {
            throw new IllegalStateException("the emulator starts before all tests of the class");
        }
        return emulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator = IotEmulator.start(
                customizer.apply(EmulatorConfig.builder().forTests()).build());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == IotEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return get();
    }
}
