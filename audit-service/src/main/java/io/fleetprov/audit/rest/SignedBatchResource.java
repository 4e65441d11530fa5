package io.fleetprov.audit.rest;

import io.fleetprov.audit.service.SignedBatches;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The signed message of a batch the log's rows name ({@code signedBatch} on the events API), as it was received: an
 * auditor verifies it with the signer's public key and finds the row's envelope among its lines, without database
 * access. Read by the same role as the events themselves.
 */
@Path("/v1/signed-batches")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "events")
public class SignedBatchResource {

    /** RFC 7515's media type for a JWS in compact serialization. */
    public static final String JOSE = "application/jose";

    private final SignedBatches batches;

    public SignedBatchResource(SignedBatches batches) {
        this.batches = batches;
    }

    @GET
    @Path("/{digest}")
    @Produces(JOSE)
    @Operation(
            summary = "The signed batch of this digest, exactly as received (compact JWS)",
            description = "digest: a row's signedBatch, the lowercase hex SHA-256 of the returned bytes. The JWS has"
                    + " typ fleetprov-event-batch+jws and, as payload, the batch's event envelopes one per line.")
    public byte[] message(@PathParam("digest") String digest) {
        return batches.message(digest);
    }
}
