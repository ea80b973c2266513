package dev.mailtrail.send.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.TestDatabase;
import io.r2dbc.postgresql.codec.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/** Values that are awkward in a PostgreSQL array literal, through {@link BatchInsert} into a real PostgreSQL. */
class BatchInsertIntegrationTests {

    static final BatchInsert<Row> ROWS = BatchInsert.<Row>into("batch_insert_check")
            .column("id", "text", Row::id)
            .column("note", "text", Row::note)
            .column("n", "bigint", Row::n)
            .column("small", "smallint", Row::small)
            .column("flag", "boolean", Row::flag)
            .column("at", "timestamptz", Row::at)
            .column("doc", "jsonb", Row::doc)
            .column("raw", "json", Row::doc)
            .jsonText("raw_text", Row::doc);

    static DatabaseClient db;

    @BeforeAll
    static void table() {
        db = TestDatabase.client();
        db.sql("""
                CREATE TABLE IF NOT EXISTS batch_insert_check (id text PRIMARY KEY, note text, n bigint,
                small smallint, flag boolean, at timestamptz, doc jsonb, raw json, raw_text text)""").then().block();
    }

    @BeforeEach
    void empty() {
        db.sql("TRUNCATE batch_insert_check").then().block();
    }

    @Test
    void awkwardTextArrivesAsWritten() {
        List<String> notes = List.of(
                "a \"quoted\" word",
                "back\\slash \\\\ twice",
                "comma, {braces}",
                "NULL",
                "",
                "  spaced  ",
                "line\nbreak\ttab",
                "accents é and 😀",
                "'single'");

        assertArriveAsWritten(notes);
    }

    @Test
    void everyCharacterButNulArrivesAsWrittenAloneAndBesideItsNeighbours() {
        // NUL is the one character PostgreSQL's text cannot hold
        List<String> notes = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (char c = 1; c < 128; c++) {
            notes.add(String.valueOf(c));
            all.append(c);
        }
        notes.add(all.toString());
        notes.add("\u00e9\u4e2d\ud83d\ude00\u2028\ufeff");

        assertArriveAsWritten(notes);
    }

    @Test
    void nullsAreSqlNullsNotText() {
        insert(List.of(new Row("empty", null, null, null, null, null, null)));

        assertThat(db.sql(
                                "SELECT num_nulls(note, n, small, flag, at, doc, raw, raw_text) AS nulls FROM batch_insert_check")
                        .map(row -> row.get("nulls", Integer.class))
                        .one()
                        .block())
                .isEqualTo(8);
    }

    @Test
    void jsonValuesKeepTheirPlaceWhereverTheNullsAre() {
        // every pattern of nulls over four rows: JSON values travel joined by U+0001, a null as an empty element
        Doc awkward =
                new Doc("\u0001 control \u001f (jsonb refuses \\u0000), \"quotes\", {braces}, NULL", List.of("", "\\"));
        for (int rows = 1; rows <= 4; rows++) {
            for (int nulls = 0; nulls < 1 << rows; nulls++) {
                empty();
                List<Row> batch = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    Doc doc = (nulls & 1 << r) != 0 ? null : new Doc(awkward.text() + r, awkward.tags());
                    batch.add(Row.of(rows + "-" + nulls + "-" + r).withDoc(doc));
                }
                insert(batch);

                Map<String, List<Doc>> stored = db.sql("SELECT id, doc, raw, raw_text FROM batch_insert_check")
                        .map(row -> Map.entry(
                                row.get("id", String.class),
                                Arrays.asList(
                                        doc(row.get("doc", Json.class)),
                                        doc(row.get("raw", Json.class)),
                                        row.get("raw_text", String.class) == null
                                                ? null
                                                : WireJson.read(
                                                        row.get("raw_text", String.class)
                                                                .getBytes(StandardCharsets.UTF_8),
                                                        Doc.class))))
                        .all()
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                        .block();
                assertThat(stored)
                        .as("%d rows, nulls %s", rows, Integer.toBinaryString(nulls))
                        .isEqualTo(batch.stream()
                                .collect(Collectors.toMap(Row::id, r -> Arrays.asList(r.doc(), r.doc(), r.doc()))));
            }
        }
    }

    @Test
    void anUpdateWritesOnlyStoredRowsThatMeetItsCondition() {
        insert(List.of(Row.of("a").withNote("a1"), Row.of("b").withNote("b1")));

        List<String> updated = ROWS.bind(
                        db.sql(ROWS.updateSql(1) + " AND t.note <> 'b1' RETURNING t.id"),
                        List.of(
                                Row.of("a").withNote("a2"),
                                Row.of("b").withNote("b2"),
                                Row.of("c").withNote("c2")))
                .map(row -> row.get("id", String.class))
                .all()
                .collectList()
                .block();

        assertThat(updated).containsExactly("a");
        assertThat(db.sql("SELECT id, note FROM batch_insert_check")
                        .map(row -> Map.entry(row.get("id", String.class), row.get("note", String.class)))
                        .all()
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                        .block())
                .isEqualTo(Map.of("a", "a2", "b", "b1"));
    }

    private static Doc doc(Json json) {
        return json == null ? null : WireJson.read(json.asArray(), Doc.class);
    }

    @Test
    void typedValuesKeepTheirValue() {
        Instant at = Instant.parse("2026-11-27T04:05:06.123Z"); // the wire mapping's precision
        Doc doc = new Doc("says \"hi\" \\ {x}", List.of("a,b", "NULL"));
        insert(List.of(new Row("typed", "t", Long.MAX_VALUE, (short) -7, true, at, doc)));

        Map<String, Object> row = db.sql("SELECT n, small, flag, at, doc, raw FROM batch_insert_check")
                .fetch()
                .one()
                .block();
        assertThat(row)
                .containsEntry("n", Long.MAX_VALUE)
                .containsEntry("small", (short) -7)
                .containsEntry("flag", true);
        assertThat(((OffsetDateTime) row.get("at")).toInstant()).isEqualTo(at);
        assertThat(WireJson.read(((Json) row.get("doc")).asArray(), Doc.class)).isEqualTo(doc);
        assertThat(WireJson.read(((Json) row.get("raw")).asArray(), Doc.class)).isEqualTo(doc);
    }

    @Test
    void aJsonColumnsTextIsAJsonStringNotRawJson() {
        BatchInsert<String> texts = BatchInsert.<String>into("batch_insert_check")
                .column("id", "text", id -> id)
                .column("doc", "jsonb", id -> "{\"looks\": \"like an object\"}");
        texts.bind(db.sql(texts.sql()), List.of("text-in-jsonb")).then().block();

        assertThat(db.sql("SELECT jsonb_typeof(doc) AS kind FROM batch_insert_check")
                        .map(row -> row.get("kind", String.class))
                        .one()
                        .block())
                .isEqualTo("string");
    }

    @Test
    void onConflictDoNothingAnswersOnlyTheNewKeysEvenWithinOneBatch() {
        insert(List.of(Row.of("seen")));

        List<String> added = ROWS.bind(
                        db.sql(ROWS.sql() + " ON CONFLICT (id) DO NOTHING RETURNING id"),
                        List.of(Row.of("seen"), Row.of("new"), Row.of("new")))
                .map(row -> row.get("id", String.class))
                .all()
                .collectList()
                .block();

        assertThat(added).containsExactly("new");
    }

    @Test
    void upsertReplacesEveryColumnButTheKey() {
        insert(List.of(Row.of("k").withNote("before")));

        ROWS.bind(
                        db.sql(ROWS.sql() + " ON CONFLICT (id) DO UPDATE SET " + ROWS.updateAllButKey(1)),
                        List.of(Row.of("k").withNote("after")))
                .then()
                .block();

        assertThat(db.sql("SELECT note FROM batch_insert_check WHERE id = 'k'")
                        .map(row -> row.get("note", String.class))
                        .one()
                        .block())
                .isEqualTo("after");
    }

    private static void assertArriveAsWritten(List<String> notes) {
        List<Row> rows = notes.stream()
                .map(note -> Row.of("r" + notes.indexOf(note)).withNote(note))
                .toList();
        insert(rows);

        assertThat(db.sql("SELECT id, note FROM batch_insert_check")
                        .map(row -> Map.entry(row.get("id", String.class), row.get("note", String.class)))
                        .all()
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                        .block())
                .isEqualTo(rows.stream().collect(Collectors.toMap(Row::id, Row::note)));
    }

    private static void insert(List<Row> rows) {
        ROWS.bind(db.sql(ROWS.sql()), rows).then().block();
    }

    record Doc(String text, List<String> tags) {}

    record Row(String id, String note, Long n, Short small, Boolean flag, Instant at, Doc doc) {

        static Row of(String id) {
            return new Row(
                    id, "note", 1L, (short) 1, false, Instant.parse("2026-11-27T00:00:00Z"), new Doc("d", List.of()));
        }

        Row withNote(String text) {
            return new Row(id, text, n, small, flag, at, doc);
        }

        Row withDoc(Doc json) {
            return new Row(id, note, n, small, flag, at, json);
        }
    }
}
