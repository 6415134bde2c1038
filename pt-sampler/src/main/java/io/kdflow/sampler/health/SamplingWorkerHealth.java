package io.kdflow.sampler.health;

import io.kdflow.sampler.messaging.SourceExampleProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once the sampling worker stopped (the broker did not acknowledge PT records, or a bug): the pod restarts and
 * the examples whose records were not all acknowledged are consumed again.
 */
@Liveness
@ApplicationScoped
public class SamplingWorkerHealth implements HealthCheck {

    private final SourceExampleProcessor processor;

    public SamplingWorkerHealth(SourceExampleProcessor processor) {
        this.processor = processor;
    }

    @Override
    public HealthCheckResponse call() {
        return processor.failure()
                .map(cause -> HealthCheckResponse.named("pt-sampler worker").down()
                        .withData("failure", String.valueOf(cause.getMessage())).build())
                .orElseGet(() -> HealthCheckResponse.named("pt-sampler worker").up().build());
    }
}
