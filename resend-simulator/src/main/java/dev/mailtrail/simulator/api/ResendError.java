package dev.mailtrail.simulator.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Resend's error body. */
@JsonPropertyOrder({"statusCode", "message", "name"})
public record ResendError(int statusCode, String message, String name) {}
