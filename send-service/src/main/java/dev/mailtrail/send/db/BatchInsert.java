package dev.mailtrail.send.db;

import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.mailtrail.events.WireJson;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.core.JsonGenerator;

/**
 * A multi-row INSERT whose rows travel as one JSON array parameter, unpacked by {@code json_to_recordset}: a
 * batch of any size is one statement with a fixed text (one prepared statement, one bind, written by Jackson's
 * streaming generator) instead of a round trip or a parameter per value. Values are written with the wire
 * mapping (timestamps ISO-8601 UTC, records as JSON objects for jsonb columns); nulls are left out. The caller
 * appends its own {@code ON CONFLICT ... RETURNING ...}.
 */
public final class BatchInsert<T> {

    private final String table;
    private final List<Column<T>> columns = new ArrayList<>();

    private BatchInsert(String table) {
        this.table = table;
    }

    public static <T> BatchInsert<T> into(String table) {
        return new BatchInsert<>(table);
    }

    /** A column of SQL type {@code type} (text, bigint, smallint, boolean, timestamptz, jsonb, ...). */
    public BatchInsert<T> column(String name, String type, Function<T, ?> value) {
        columns.add(new Column<>(name, type, value));
        return this;
    }

    /** {@code INSERT INTO table (a, b) SELECT a, b FROM json_to_recordset($1::json) AS r (a text, b bigint)}. */
    public String sql() {
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        String types = columns.stream().map(c -> c.name + " " + c.type).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + names + ") SELECT " + names + " FROM json_to_recordset($1::json) AS r ("
                + types + ")";
    }

    /** {@code b = EXCLUDED.b, ...} for every column but the first (the conflict key). */
    public String updateAllButKey() {
        return columns.stream().skip(1).map(c -> c.name + " = EXCLUDED." + c.name).collect(Collectors.joining(", "));
    }

    public DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, List<T> rows) {
        StringWriter json = new StringWriter(rows.size() * 256);
        try (JsonGenerator generator = WireJson.mapper().createGenerator(json)) {
            generator.writeStartArray();
            for (T row : rows) {
                generator.writeStartObject();
                for (Column<T> column : columns) {
                    Object value = column.value.apply(row);
                    if (value != null) {
                        generator.writeName(column.name);
                        write(generator, value);
                    }
                }
                generator.writeEndObject();
            }
            generator.writeEndArray();
        }
        return spec.bind(0, json.toString());
    }

    /** Plain values directly: a serializer lookup per value was most of the cost of writing a batch. */
    private static void write(JsonGenerator generator, Object value) {
        if (value instanceof String text) {
            generator.writeString(text);
        }
        else if (value instanceof Instant instant) {
            generator.writeString(WireJson.format(instant));
        }
        else if (value instanceof Long number) {
            generator.writeNumber(number);
        }
        else if (value instanceof Short number) {
            generator.writeNumber(number);
        }
        else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        }
        else {
            generator.writePOJO(value);
        }
    }

    private record Column<T>(String name, String type, Function<T, ?> value) {
    }
}
