package dev.mailtrail.simulator.store;

/** Published once an email is stored; the webhook side reacts to it, so the API need not know about webhooks. */
public record EmailAccepted(SentEmail email) {}
