package io.kdflow.core.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs each test with every linear layer on oneDNN ({@code kdflow.packed-linear=on}), then restores the default:
 * the fixtures' tiny models are below the default thresholds, so their parity tests alone would not reach that path.
 */
public final class EveryLinearOnOneDnn implements BeforeEachCallback, AfterEachCallback {

    private static final String SWITCH = "kdflow.packed-linear";

    @Override
    public void beforeEach(ExtensionContext context) {
        System.setProperty(SWITCH, "on");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.clearProperty(SWITCH);
    }
}
