package dev.mailtrail.send.web;

import dev.mailtrail.web.ProblemFallback;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every error answer outside {@link ProblemHandler}'s routes is problem+json, this service's own problems included. */
@Configuration(proxyBeanMethods = false)
class ProblemAnswers {

    @Bean
    ProblemFallback problemFallback() {
        return new ProblemFallback(ex -> ex instanceof ProblemException problem
                ? Optional.of(new ProblemFallback.Answer(problem.code(), problem.body()))
                : Optional.empty());
    }
}
