package dev.mailtrail.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether an open or click came from a person, a machine (prefetch, scanner), or cannot be told. */
public enum Classification implements WireValue {
    HUMAN("human"),
    MACHINE("machine"),
    UNKNOWN("unknown");

    private final String wire;

    Classification(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Classification fromWire(String wire) {
        return WireValue.require(Classification.class, wire);
    }
}
