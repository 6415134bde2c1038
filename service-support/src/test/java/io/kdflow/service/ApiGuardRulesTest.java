package io.kdflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiGuardRulesTest {

    @Test
    void shouldAcceptNoTokenOrAToken() {
        ApiGuard.rules(Optional.empty(), 1_048_576).check();
        ApiGuard.rules(Optional.of("s3cret"), 1).check();
    }

    @Test
    void shouldNameABlankTokenWithoutShowingItAndABadBodyLimit() {
        // Moved here with the token from teacher.api-token (TeacherSettingsCheckTest).
        assertThatThrownBy(() -> ApiGuard.rules(Optional.of(" "), 0).check())
                .isInstanceOf(BadInputException.class).hasMessage(
                        "kdflow.api.token: (hidden) is not allowed (must not be blank; leave it unset for an open API); "
                                + "kdflow.api.max-body-bytes: 0 is not allowed (must be >= 1)");
    }

    @Test
    void shouldGuardEveryRouteButQuarkusOwnAndMetricsOnlyWhenAsked() {
        assertThat(ApiGuard.isOpen("/q/health/ready", true)).isTrue();
        assertThat(ApiGuard.isOpen("/q/openapi", false)).isTrue();
        assertThat(ApiGuard.isOpen("/q/metrics", false)).isTrue();
        assertThat(ApiGuard.isOpen("/q/metrics", true)).isFalse();
        assertThat(ApiGuard.isOpen("/v1/generate", false)).isFalse();
        assertThat(ApiGuard.isOpen("/qux", false)).isFalse();
    }
}
