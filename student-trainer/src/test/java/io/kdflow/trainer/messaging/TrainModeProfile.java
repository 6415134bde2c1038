package io.kdflow.trainer.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The trainer training real students (the default test profile only materializes). */
public class TrainModeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("trainer.mode", "train");
    }
}
