package io.fleetprov.audit.store;

import java.util.List;

/** What one append did: the links it added, how many events were already on record, how many it quarantined. */
public record AppendResult(List<ChainedEvent> appended, int duplicates, int quarantined) {}
