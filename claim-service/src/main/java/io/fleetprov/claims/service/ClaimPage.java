package io.fleetprov.claims.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of GET /v1/claims?mine=true: newest first; {@code nextCursor} is absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimPage(List<ClaimView> items, String nextCursor) {}
