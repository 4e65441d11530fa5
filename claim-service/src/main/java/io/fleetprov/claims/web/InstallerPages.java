package io.fleetprov.claims.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.service.ClaimPage;
import io.fleetprov.claims.service.ClaimRefusedException;
import io.fleetprov.claims.service.ClaimService;
import io.fleetprov.claims.service.ClaimView;
import io.fleetprov.claims.service.Installer;
import io.fleetprov.claims.service.RefusalReason;
import io.fleetprov.protocol.claim.ClaimResponse;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The installer web app: sign-in through the hosted UI (OIDC tenant {@code web-app}), a claim for one serial number,
 * its one-time hand-over as a zip or a QR code, its live status, and the installer's recent claims. Pages are
 * rendered here; the browser runs only {@code /static/app.js}.
 */
@Path("/app")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class InstallerPages {

    private static final int RECENT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The pages; Qute checks them against these signatures at build time. */
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Who who, List<ClaimView> recent, String error, String serialNumber);

        static native TemplateInstance claim(
                Who who,
                ClaimResponse bundle,
                String serialNumber,
                String handle,
                String qr,
                String caName,
                long pollMillis);

        static native TemplateInstance gone(Who who);

        static native TemplateInstance signedOut();
    }

    /** Who is signed in, as the pages show it. */
    public record Who(String name, List<String> groups, boolean mayClaim) {}

    private final ClaimService claims;
    private final Handovers handovers;
    private final BundleZip zips;
    private final QrCodes qrCodes;
    private final SecurityIdentity identity;
    /** With the web-app tenant, the injected token is the ID token. */
    private final JsonWebToken idToken;

    private final ClaimServiceConfig config;

    public InstallerPages(
            ClaimService claims,
            Handovers handovers,
            BundleZip zips,
            QrCodes qrCodes,
            SecurityIdentity identity,
            JsonWebToken idToken,
            ClaimServiceConfig config) {
        this.claims = claims;
        this.handovers = handovers;
        this.zips = zips;
        this.qrCodes = qrCodes;
        this.identity = identity;
        this.idToken = idToken;
        this.config = config;
    }

    @GET
    public Response home() {
        return page(Response.ok(), Templates.home(who(), recent(), null, ""));
    }

    /** Where the hosted UI sends the installer back; the OIDC tenant has already traded the code for tokens. */
    @GET
    @Path("callback")
    public Response callback() {
        return Response.seeOther(URI.create("/app")).build();
    }

    /**
     * Sign out. The web-app tenant answers this path itself while authenticating the request (logout.path): it drops
     * the session cookie and sends the browser to the hosted UI's /logout. The path must exist and require
     * authentication for that to run, as authentication is not proactive here; this body is never reached then.
     */
    @GET
    @Path("logout")
    public Response logout() {
        return Response.seeOther(URI.create("/app/signed-out")).build();
    }

    /** Where the hosted UI's sign-out returns to: no session any more, so no authentication asked. */
    @GET
    @Path("signed-out")
    @jakarta.annotation.security.PermitAll
    public Response signedOut() {
        return page(Response.ok(), Templates.signedOut());
    }

    /** Asks for a claim (a form POST with the CSRF token); the answer shows it once and is never cached. */
    @POST
    @Path("claims")
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response claim(@FormParam("serialNumber") String serialNumber) {
        Who who = who();
        String serial = serialNumber == null ? "" : serialNumber.strip();
        if (!who.mayClaim()) {
            return page(
                    Response.status(403),
                    Templates.home(who, recent(), "Your groups do not allow asking for claims.", serial));
        }
        ClaimResponse bundle;
        try {
            bundle = claims.issue(installer(), serial, null, false, null);
        } catch (ClaimRefusedException e) {
            return page(Response.status(e.reason().status()), Templates.home(who, recent(), inWords(e), serial));
        }
        String handle = handovers.put(installer().subject(), serial, bundle);
        String qr = qrCodes.svg(companionPayload(serial, bundle), "Claim for " + serial + " as a QR code")
                .orElse(null);
        return page(
                Response.ok(),
                Templates.claim(
                        who,
                        bundle,
                        serial,
                        handle,
                        qr,
                        zips.caName(),
                        config.web().statusPollInterval().toMillis()));
    }

    /** The claim's files as a zip, once; fetched by a form POST carrying the hand-over handle, never by URL. */
    @POST
    @Path("claims/bundle")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({"application/zip", MediaType.TEXT_HTML})
    public Response bundle(@FormParam("handle") String handle) {
        Optional<Handovers.Handover> handover = handovers.take(installer().subject(), handle);
        if (handover.isEmpty()) {
            return page(Response.status(Response.Status.GONE), Templates.gone(who()));
        }
        ClaimResponse bundle = handover.get().bundle();
        return Response.ok(zips.zip(handover.get().serialNumber(), bundle), "application/zip")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"claim-"
                                + safeFileName(handover.get().serialNumber()) + ".zip\"")
                .cacheControl(noStore())
                .header("Pragma", "no-cache")
                .build();
    }

    /** A claim's status for the page's polling: the caller's own claims only, no key material. */
    @GET
    @Path("claims/{certificateId}/status")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@PathParam("certificateId") String certificateId) {
        ClaimView view = claims.view(installer(), certificateId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("certificateId", view.certificateId());
        body.put("status", view.status().name());
        body.put("serialNumber", view.serialNumber());
        body.put("expiresAt", view.expiresAt() == null ? null : view.expiresAt().toString());
        body.put("usedAt", view.usedAt() == null ? null : view.usedAt().toString());
        body.put("thingName", view.thingName());
        return Response.ok(body).cacheControl(noStore()).build();
    }

    private List<ClaimView> recent() {
        ClaimPage page = claims.listMine(installer(), null, RECENT);
        return page.items();
    }

    private Installer installer() {
        return new Installer(idToken.getSubject(), identity.getRoles());
    }

    private Who who() {
        List<String> groups = List.copyOf(new TreeSet<>(identity.getRoles()));
        String name = identity.getPrincipal().getName();
        return new Who(
                name == null || name.isBlank() ? idToken.getSubject() : name,
                groups,
                groups.contains(Installer.INSTALLER));
    }

    private String inWords(ClaimRefusedException e) {
        RefusalReason reason = e.reason();
        String retry = e.retryAfter() == null ? "" : " Try again in " + seconds(e.retryAfter()) + ".";
        return switch (reason) {
            case INVALID_INPUT ->
                "That serial number is not valid: it must be "
                        + config.claims().serialMinLength() + " to "
                        + config.claims().serialMaxLength()
                        + " characters matching " + config.claims().serialPattern() + ".";
            case QUOTA -> "You have reached your claim quota (" + e.getMessage() + ")." + retry;
            case SERVICE_BUSY, AWS_UNAVAILABLE -> "The service is busy right now." + retry;
            case ALREADY_PROVISIONED -> "A device is already provisioned under this serial number.";
            case FORBIDDEN_TEMPLATE, REPLACE_FORBIDDEN -> "Your groups do not allow this claim.";
            case AWS_REJECTED -> "AWS IoT refused the claim; ask an administrator.";
        };
    }

    private static String seconds(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        return s == 1 ? "1 second" : s + " seconds";
    }

    /**
     * What a companion app reads from the QR code: the files of the zip except the CA (it ships with the app),
     * compact JSON so that an EC claim fits one code.
     */
    private static String companionPayload(String serial, ClaimResponse bundle) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("v", 1);
        payload.put("endpoint", bundle.iotEndpoint());
        payload.put("templateName", bundle.templateName());
        payload.put("serialNumber", serial);
        payload.put("certificatePem", bundle.certificatePem());
        payload.put("privateKey", bundle.privateKey());
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String safeFileName(String serial) {
        return serial.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static Response page(Response.ResponseBuilder status, TemplateInstance page) {
        // Pages name the installer and list their claims: not for shared caches, not kept after sign-out.
        return status.entity(page)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .cacheControl(noStore())
                .build();
    }

    private static CacheControl noStore() {
        CacheControl cc = new CacheControl();
        cc.setNoStore(true);
        cc.setNoTransform(false);
        return cc;
    }
}
