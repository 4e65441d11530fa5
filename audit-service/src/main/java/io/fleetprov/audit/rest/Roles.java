package io.fleetprov.audit.rest;

/** Roles come from the Cognito groups claim ({@code cognito:groups}). */
final class Roles {

    static final String AUDITOR = "auditor";

    private Roles() {}
}
