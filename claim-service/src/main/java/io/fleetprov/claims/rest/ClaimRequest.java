package io.fleetprov.claims.rest;

/**
 * Body of POST /v1/claims. {@code replace} asks for a claim that provisions a new device in place of the one already
 * provisioned under the serial number (groups in {@code fleetprov.claims.replacer-groups} only).
 */
public record ClaimRequest(String serialNumber, String templateName, Boolean replace) {}
