package dev.mailtrail.send.privacy;

import dev.mailtrail.send.suppression.SuppressionList;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * suppression and soft_bounce: the person stays unmailable, so their entry stays, its address replaced by the salted
 * hash ({@link SuppressionList#erase}); the sends' checks look up by address or by that hash.
 */
@Component
@Order(5)
class SuppressionErasure implements ErasureStep {

    private final SuppressionList suppressions;

    SuppressionErasure(SuppressionList suppressions) {
        this.suppressions = suppressions;
    }

    @Override
    public Mono<Void> address(Request request) {
        return suppressions.erase(request.tenantId(), request.address()).then();
    }
}
