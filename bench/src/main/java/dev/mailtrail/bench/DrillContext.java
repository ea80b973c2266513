package dev.mailtrail.bench;

import java.io.PrintStream;

/** What every drill works with: the stack of its own, its Kafka, the run's webhooks, and where progress is printed. */
record DrillContext(Target target, Kafka kafka, Webhooks webhooks, PrintStream out) {}
