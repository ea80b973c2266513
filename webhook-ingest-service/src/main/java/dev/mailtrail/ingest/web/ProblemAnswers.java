package dev.mailtrail.ingest.web;

import dev.mailtrail.web.ProblemFallback;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every error answer no route gave itself ({@link dev.mailtrail.web.Problems}) is problem+json too. */
@Configuration(proxyBeanMethods = false)
class ProblemAnswers {

    @Bean
    ProblemFallback problemFallback() {
        return new ProblemFallback(ex -> Optional.empty());
    }
}
