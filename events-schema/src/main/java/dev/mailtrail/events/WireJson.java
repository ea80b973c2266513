package dev.mailtrail.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The one JSON mapping of the wire contract: camelCase, nulls written, timestamps as ISO-8601 UTC with
 * exactly three fraction digits, unknown fields ignored (changes within a schema version are additive).
 */
public final class WireJson {

    /**
     * The span of the contract's timestamps, years 1970 to 9999: what every reader here and PostgreSQL hold. Outside
     * it a provider's time is replaced, an event is refused, a cursor is not one the API returned.
     */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** {@code 2026-11-26T10:15:30.123Z}. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("mailtrail-wire")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private WireJson() {}

    /** Whether the instant lies in {@link #EARLIEST} … {@link #LATEST}. */
    public static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /** {@link #TIMESTAMP}'s text of this instant. */
    public static String format(Instant instant) {
        String canonical = WireTimestamps.format(instant);
        return canonical != null ? canonical : TIMESTAMP.format(instant);
    }

    /**
     * A UTC timestamp ({@code ...30.123Z}, {@code ...30.894719+00:00}, {@code ...30Z}) read without a formatter;
     * null for any other form, which the caller parses its own way.
     */
    public static Instant utcTimestamp(String text) {
        return WireTimestamps.parse(text);
    }

    private static final class InstantSerializer extends ValueSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(format(value));
        }
    }

    /** The canonical form read by hand; every other form Jackson accepts for an Instant, as Jackson reads it. */
    private static final class InstantDeserializer extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant canonical = WireTimestamps.parse(p.getString());
                if (canonical != null) {
                    return canonical;
                }
            }
            return tools.jackson.databind.ext.javatime.deser.InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }
}
