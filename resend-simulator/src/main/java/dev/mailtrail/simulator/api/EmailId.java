package dev.mailtrail.simulator.api;

/** {@code {"id": "..."}}: what a send answers for each email it accepted. */
record EmailId(String id) {}
