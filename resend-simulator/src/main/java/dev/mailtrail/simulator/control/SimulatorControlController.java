package dev.mailtrail.simulator.control;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.mailtrail.simulator.store.EmailStore;
import dev.mailtrail.simulator.webhooks.DeliveryAttempt;
import dev.mailtrail.simulator.webhooks.DeliveryLog;

/** The test tool's own API: what was received and what was delivered. Unauthenticated on purpose. */
@RestController
@RequestMapping("/_simulator")
class SimulatorControlController {

    private final EmailStore emails;
    private final DeliveryLog deliveries;

    SimulatorControlController(EmailStore emails, DeliveryLog deliveries) {
        this.emails = emails;
        this.deliveries = deliveries;
    }

    /** Every email received, oldest first. */
    @GetMapping("/emails")
    List<ReceivedEmail> emails() {
        return emails.all().stream().map(ReceivedEmail::of).toList();
    }

    /** Every webhook delivery attempt, oldest first. */
    @GetMapping("/deliveries")
    List<DeliveryAttempt> deliveries() {
        return deliveries.all();
    }

    /** Forgets emails and delivery attempts (webhooks still in flight keep going). */
    @PostMapping("/reset")
    ResponseEntity<Void> reset() {
        emails.clear();
        deliveries.clear();
        return ResponseEntity.noContent().build();
    }
}
