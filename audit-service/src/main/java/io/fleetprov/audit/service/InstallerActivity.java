package io.fleetprov.audit.service;

import java.util.List;

/**
 * What one installer did: claims issued, used (an allowed hook decision), expired unused, and denials (claims
 * refused by claim-service plus hook denials of the installer's claims); then the events themselves, paged.
 */
public record InstallerActivity(String subject, Summary summary, List<EventView> events, String nextCursor) {

    public record Summary(long issued, long used, long expiredUnused, long denied) {}
}
