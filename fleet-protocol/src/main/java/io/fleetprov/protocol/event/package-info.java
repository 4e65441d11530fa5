/**
 * fleetprov's own events: the envelope ({@link io.fleetprov.protocol.event.FleetEvent}), its types and outcomes, and
 * how it travels signed.
 *
 * <p><b>Signed events.</b> The payload of every message on {@code fleetprov/events/{type}} is a compact JWS (RFC 7515,
 * {@code header.payload.signature}) with the protected header {@code {"alg":"ES256","kid":<signer>,
 * "typ":"fleetprov-event+jws"}} and, as its payload, the JSON envelope bytes exactly as they were before signing.
 * A compact JWS with the envelope inside was chosen over a detached signature in an envelope field because the
 * envelope then needs no canonical form of its own: a consumer verifies the bytes it received and reads the same
 * bytes as before, so audit-service's hash chain (RFC 8785 over the stored envelope and columns) is unchanged but for
 * the verified signer. {@link io.fleetprov.protocol.event.EventSigner} writes it,
 * {@link io.fleetprov.protocol.event.EventVerifier} accepts it only for a trusted {@code kid} and ES256, and
 * {@link io.fleetprov.protocol.event.EventKeys} reads the PEM keys. The golden signed event is
 * {@code contracts/events/signed/ClaimIssued.jws} in this module's test resources.
 */
package io.fleetprov.protocol.event;
