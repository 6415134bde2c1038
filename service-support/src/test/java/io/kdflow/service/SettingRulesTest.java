package io.kdflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingRulesTest {

    @Test
    void shouldPassWhenEveryRuleHolds() {
        SettingRules rules = new SettingRules()
                .atLeast("a.count", 1, 1)
                .between("a.beams", 64, 1, 64)
                .positive("a.timeout", Duration.ofMillis(1))
                .oneOf("a.metric", "bleu", List.of("bleu", "chrf"))
                .rule("a.path", "x", true, "must exist");

        assertThat(rules.broken()).isEmpty();
        rules.check();
    }

    @Test
    void shouldNameKeyValueAndRuleOfEveryBrokenRuleInOrder() {
        SettingRules rules = new SettingRules()
                .atLeast("a.count", 0, 1)
                .between("a.beams", 65, 1, 64)
                .positive("a.timeout", Duration.ZERO)
                .oneOf("a.metric", "blue", List.of("bleu", "chrf"))
                .rule("a.path", "x", false, "must exist");

        assertThat(rules.broken()).containsExactly(
                "a.count: 0 is not allowed (must be >= 1)",
                "a.beams: 65 is not allowed (must be from 1 to 64)",
                "a.timeout: PT0S is not allowed (must be longer than 0)",
                "a.metric: 'blue' is not allowed (one of bleu, chrf)",
                "a.path: x is not allowed (must exist)");
        assertThatThrownBy(rules::check).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("a.count: 0 is not allowed (must be >= 1); a.beams: 65 is not allowed");
    }

    @Test
    void shouldCheckTheEngineThreadBudget() {
        EngineConfig zeroIntraOp = new EngineConfig() {
            @Override
            public int intraOpThreads() {
                return 0;
            }

            @Override
            public int interOpThreads() {
                return 2;
            }
        };

        assertThat(EngineThreadBudget.rules(zeroIntraOp).broken())
                .containsExactly("kdflow.engine.intra-op-threads: 0 is not allowed (must be >= 1)");
    }
}
