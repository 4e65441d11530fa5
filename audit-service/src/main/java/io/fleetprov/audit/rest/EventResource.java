package io.fleetprov.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.fleetprov.audit.service.EventQueries;
import io.fleetprov.audit.service.EventView;
import io.fleetprov.audit.service.InvalidRequestException;
import io.fleetprov.audit.service.Page;
import io.fleetprov.audit.store.AuditField;
import io.fleetprov.audit.store.ChainedEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The log itself: JSON pages, and an export of every matching event as NDJSON or CSV.
 */
@Path("/v1/events")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "events")
public class EventResource {

    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";

    private static final CsvMapper CSV_MAPPER = new CsvMapper();
    private static final CsvSchema CSV_SCHEMA = CsvSchema.builder()
            .addColumns(csvColumns(), CsvSchema.ColumnType.STRING)
            .setUseHeader(true)
            .build();

    private final EventQueries events;
    private final ObjectMapper json;

    public EventResource(EventQueries events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Events in chain order, filtered by type, W3C trace id and event time [since, until), paged")
    public Page<EventView> page(
            @QueryParam("type") String type,
            @QueryParam("since") Instant since,
            @QueryParam("until") Instant until,
            @QueryParam("traceId") String traceId,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        return events.page(new EventQueries.Filter(type, since, until, traceId), cursor, limit);
    }

    @GET
    @Path("/export")
    @Produces({NDJSON, CSV})
    @Operation(
            summary = "Export every matching event from the cursor on, streamed",
            description =
                    "format=ndjson (newline-delimited JSON, the default) or format=csv (payload as a JSON column).")
    public Response export(
            @QueryParam("type") String type,
            @QueryParam("since") Instant since,
            @QueryParam("until") Instant until,
            @QueryParam("traceId") String traceId,
            @QueryParam("cursor") String cursor,
            @QueryParam("format") @DefaultValue("ndjson") String format) {
        EventQueries.Filter filter = new EventQueries.Filter(type, since, until, traceId);
        return switch (format) {
            case "ndjson" -> Response.ok(ndjson(filter, cursor), NDJSON).build();
            case "csv" -> Response.ok(csv(filter, cursor), CSV).build();
            default -> throw new InvalidRequestException("format must be ndjson or csv");
        };
    }

    private StreamingOutput ndjson(EventQueries.Filter filter, String cursor) {
        ObjectWriter writer = json.writer();
        return out -> events.export(filter, cursor, chained -> write(out, writer, EventView.of(chained)));
    }

    private StreamingOutput csv(EventQueries.Filter filter, String cursor) {
        return out -> {
            try (SequenceWriter rows = CSV_MAPPER.writer(CSV_SCHEMA).writeValues(out)) {
                events.export(filter, cursor, chained -> {
                    try {
                        rows.write(csvRow(chained));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        };
    }

    /** The API's names: seq, every stored field, the two hashes, the payload as a JSON column. */
    private static List<String> csvColumns() {
        List<String> columns = new ArrayList<>();
        columns.add("seq");
        Arrays.stream(AuditField.values()).map(AuditField::viewName).forEach(columns::add);
        columns.addAll(List.of("hash", "prevHash", "payload"));
        return columns;
    }

    private static Object[] csvRow(ChainedEvent c) {
        AuditField[] fields = AuditField.values();
        Object[] row = new Object[fields.length + 4];
        HexFormat hex = HexFormat.of();
        int i = 0;
        row[i++] = c.seq();
        for (AuditField field : fields) {
            Object value = field.value(c.event());
            row[i++] = value == null ? null : value.toString();
        }
        row[i++] = hex.formatHex(c.hash());
        row[i++] = hex.formatHex(c.prevHash());
        row[i] = c.event().payload().toString();
        return row;
    }

    private static void write(OutputStream out, ObjectWriter writer, EventView view) {
        try {
            out.write(writer.writeValueAsBytes(view));
            out.write("\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
