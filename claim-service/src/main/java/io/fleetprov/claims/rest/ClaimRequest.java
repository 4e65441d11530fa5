package io.fleetprov.claims.rest;

/** Body of POST /v1/claims. */
public record ClaimRequest(String serialNumber, String templateName) {}
