/**
 * The provisioning-template engine behind the emulator's RegisterThing and CreateProvisioningTemplate.
 *
 * <p>{@link io.fleetprov.emulator.template.TemplateEngine} is the entry point. A body is read by
 * {@code TemplateParser} into a {@code Template} whose values are compiled {@code Expr}s (all checks that
 * need no device parameters happen there), then {@code PlanEvaluator} binds one device's parameters and
 * produces a {@link io.fleetprov.emulator.template.ProvisioningPlan} for the registry to apply.
 */
package io.fleetprov.emulator.template;
