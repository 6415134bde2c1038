package io.kdflow.sampler.config;

import io.kdflow.service.SettingRules;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;

/**
 * Checks {@link SamplerConfig} when pt-sampler starts, before its channels consume anything: a bad value stops
 * the start with {@code <key>: <value> is not allowed (<rule>)}.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@ApplicationScoped
public class SamplerSettingsCheck {

    private final SamplerConfig config;

    public SamplerSettingsCheck(SamplerConfig config) {
        this.config = config;
    }

    @PostConstruct
    void check() {
        rules(config).check();
    }

    /** What {@code sampler.*} must satisfy. */
    static SettingRules rules(SamplerConfig config) {
        return new SettingRules()
                .rule("sampler.model-store", "'" + config.modelStore() + "'", !config.modelStore().isBlank(),
                        "must name a directory")
                .atLeast("sampler.max-held-examples", config.maxHeldExamples(), 0)
                .between("sampler.max-pseudo-targets", config.maxPseudoTargets(), 1, 4096)
                .positive("sampler.flush-after", config.flushAfter())
                .positive("sampler.send-timeout", config.sendTimeout())
                .positive("sampler.publish-retry-for", config.publishRetryFor());
    }
}
