package io.fleetprov.claims.service;

/** The hook's verdict and why; {@code reason} is {@code claim-bound-serial-matches} when allowed. */
public record HookDecision(boolean allowed, String reason) {}
