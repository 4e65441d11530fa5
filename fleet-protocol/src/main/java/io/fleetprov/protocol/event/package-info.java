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
 *
 * <p><b>Signed batches.</b> A message on {@code fleetprov/events/{type}} may instead be a
 * {@link io.fleetprov.protocol.event.SignedBatch}: the same compact JWS with {@code "typ":"fleetprov-event-batch+jws"}
 * whose payload is up to {@value io.fleetprov.protocol.event.SignedBatch#MAX_EVENTS} envelopes of that type, one per
 * line, exactly as written. Producer-side batching was chosen for audit ingest (issue 14) because both per-message
 * costs bound it below the database's rate on this machine: the broker accepts a few thousand QoS 1 messages a
 * second, and ES256 verification (BouncyCastle, all cores) a couple of thousand. One signature covers the whole batch
 * rather than each event: per-event signatures inside a batch would leave the verification cost as it was. So a
 * consumer that must prove an event's origin later keeps the batch's message once (by its
 * {@link io.fleetprov.protocol.event.SignedBatch#digest() digest}) and names it from each event's record; a producer
 * confirms its own batches with {@link io.fleetprov.protocol.event.EventSigner#selfVerifier()}.
 */
package io.fleetprov.protocol.event;
