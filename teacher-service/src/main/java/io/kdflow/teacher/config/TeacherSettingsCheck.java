package io.kdflow.teacher.config;

import io.kdflow.service.SettingRules;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;

/**
 * Checks {@link TeacherConfig} when teacher-service starts, before its channel consumes anything: a bad value
 * stops the start with {@code <key>: <value> is not allowed (<rule>)}.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@ApplicationScoped
public class TeacherSettingsCheck {

    private final TeacherConfig config;

    public TeacherSettingsCheck(TeacherConfig config) {
        this.config = config;
    }

    @PostConstruct
    void check() {
        rules(config).check();
    }

    /** What {@code teacher.*} must satisfy. */
    static SettingRules rules(TeacherConfig config) {
        return new SettingRules()
                .atLeast("teacher.echo-vocab-size", config.echoVocabSize(), 1)
                .positive("teacher.send-timeout", config.sendTimeout())
                .positive("teacher.publish-retry-for", config.publishRetryFor())
                .rule("teacher.model-store", "'" + config.modelStore() + "'", !config.modelStore().isBlank(),
                        "must name a directory")
                .between("teacher.max-request-bytes", config.maxRequestBytes(), 1024, 256L << 20)
                .between("teacher.max-request-items", config.maxRequestItems(), 1, 4096);
    }
}
