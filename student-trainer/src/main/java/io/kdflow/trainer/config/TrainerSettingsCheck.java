package io.kdflow.trainer.config;

import io.kdflow.service.SettingRules;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;

/**
 * Checks {@link TrainerConfig} when student-trainer starts, before its channels consume anything: a bad value
 * stops the start with {@code <key>: <value> is not allowed (<rule>)}.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@ApplicationScoped
public class TrainerSettingsCheck {

    private final TrainerConfig config;

    public TrainerSettingsCheck(TrainerConfig config) {
        this.config = config;
    }

    @PostConstruct
    void check() {
        rules(config).check();
    }

    /** What {@code trainer.*} must satisfy. */
    static SettingRules rules(TrainerConfig config) {
        return new SettingRules()
                .between("trainer.max-batch-size", config.maxBatchSize(), 1, 1 << 20)
                .between("trainer.max-tokens", config.maxTokens(), 2, 1 << 20)
                .positive("trainer.send-timeout", config.sendTimeout())
                .positive("trainer.publish-retry-for", config.publishRetryFor())
                .positive("trainer.score-timeout", config.scoreTimeout())
                .positive("trainer.score-retry-after", config.scoreRetryAfter());
    }
}
