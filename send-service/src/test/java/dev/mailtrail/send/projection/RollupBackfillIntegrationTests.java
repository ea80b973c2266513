package dev.mailtrail.send.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.send.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;

/** The one-off backfill adds states that predate the rollups, in bounded batches that resume from their cursor. */
@SpringBootTest(properties = {"management.server.port=0", "server.port=0"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class RollupBackfillIntegrationTests {

    static final Instant SENT = Instant.parse("2026-10-01T08:00:00.000Z");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    ActivityStateRepository states;

    @Autowired
    RollupRepository rollups;

    @Autowired
    TransactionalOperator transaction;

    @Autowired
    DatabaseClient db;

    @Test
    void statesOlderThanTheRollupsAreAddedOnceInBatchesFromTheSavedCursor() {
        // last in key order, so the backfill below passes no other test's states
        String tenant = "zz-" + UUID.randomUUID();
        ActivityState delivered = ActivityFold.empty(new ActivityKey(tenant, "a"), SENT).toBuilder()
                .version(1)
                .sentAt(SENT)
                .deliveredAt(SENT)
                .tags(Map.of("campaign", "alpha"))
                .build();
        states.save(List.of(
                        delivered,
                        delivered.toBuilder().activityId("b").build(),
                        delivered.toBuilder()
                                .activityId("c")
                                .deliveredAt(null)
                                .bouncedAt(SENT)
                                .tags(Map.of())
                                .build()))
                .block(Duration.ofSeconds(30));
        db.sql("UPDATE engagement_rollup_backfill SET tenant_id = $1, activity_id = '', done = false")
                .bind(0, tenant)
                .then()
                .block(Duration.ofSeconds(30));

        assertThat(batch(2)).isEqualTo(2);
        assertThat(sum(tenant, "all", "sent")).isEqualTo(2); // a, b: the cursor is saved past b
        assertThat(batch(2)).isEqualTo(1); // c, and fewer than asked: done
        assertThat(batch(2)).isEqualTo(-1);

        assertThat(sum(tenant, "all", "sent")).isEqualTo(3);
        assertThat(sum(tenant, "all", "delivered")).isEqualTo(2);
        assertThat(sum(tenant, "all", "bounced")).isEqualTo(1);
        assertThat(sum(tenant, "tag:campaign", "sent")).isEqualTo(2);
    }

    private int batch(int limit) {
        return rollups.backfillBatch(limit).as(transaction::transactional).block(Duration.ofSeconds(30));
    }

    private long sum(String tenant, String dimension, String column) {
        return db.sql("SELECT COALESCE(sum(" + column + "), 0)::bigint AS n FROM engagement_rollup"
                        + " WHERE tenant_id = $1 AND dimension = $2")
                .bind(0, tenant)
                .bind(1, dimension)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(30));
    }
}
