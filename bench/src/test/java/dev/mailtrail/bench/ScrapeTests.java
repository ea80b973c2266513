package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrapeTests {

    static final String SCRAPE = """
            # TYPE mailtrail_reconcile_replayed_total counter
            mailtrail_reconcile_replayed_total{application="send-service"} 124.0
            mailtrail_reconcile_drift_total{last_event="bounced"} 2.0
            mailtrail_reconcile_drift_total{last_event="other"} 1.0
            mailtrail_reconcile_missing 0.0
            mailtrail_reconcile_missing_other 7.0
            """;

    @Test
    void aMeterIsTheSumOfItsSeriesAndOnlyOfItsOwn() {
        assertThat(Scrape.sum(SCRAPE, "mailtrail_reconcile_replayed_total")).isEqualTo(124.0);
        assertThat(Scrape.sum(SCRAPE, "mailtrail_reconcile_drift_total")).isEqualTo(3.0);
        assertThat(Scrape.sum(SCRAPE, "mailtrail_reconcile_missing")).isZero();
    }

    @Test
    void aMissingMeterOrScrapeIsNaN() {
        assertThat(Scrape.sum(SCRAPE, "mailtrail_reconcile_refused_total")).isNaN();
        assertThat(Scrape.sum(null, "mailtrail_reconcile_replayed_total")).isNaN();
    }
}
