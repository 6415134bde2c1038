package io.kdflow.service;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.messaging.DeadLetterReason;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the directory a teacher-ready {@link CheckpointEvent} names before anything is loaded from it: inside the
 * model store (no {@code ..}, no absolute path, no symbolic link out, for the directory and its weights), holding
 * config.json and model.safetensors, and the weights' sha256 equal to the announced one. Every failure is a
 * {@link RejectedRecordException} of its dead-letter class, so the event is dead-lettered with the reason.
 */
public final class TeacherCheckpoints {

    static final String WEIGHTS = "model.safetensors";
    static final String CONFIG = "config.json";

    private TeacherCheckpoints() {
    }

    /** The event's model directory, checked. */
    public static Path verifiedDirectory(ModelStore store, CheckpointEvent event) {
        String uri = event.getUri();
        Path directory = confined(store, uri);
        Path weights = confined(store, uri + "/" + WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new RejectedRecordException(DeadLetterReason.MISSING_FILE,
                    "CheckpointEvent.uri: " + uri + " holds no " + WEIGHTS, null);
        }
        if (!Files.isRegularFile(confined(store, uri + "/" + CONFIG))) {
            throw new RejectedRecordException(DeadLetterReason.MISSING_FILE, "CheckpointEvent.uri: " + uri
                    + " is not a model directory of the store (no " + CONFIG + ")", null);
        }
        String sha256 = ModelStore.sha256(weights);
        if (!sha256.equals(event.getSha256())) {
            throw new RejectedRecordException(DeadLetterReason.TAMPERED_CHECKPOINT, "CheckpointEvent.sha256: "
                    + event.getSha256() + " does not match " + uri + "/" + WEIGHTS + " (" + sha256 + ")", null);
        }
        return directory;
    }

    private static Path confined(ModelStore store, String uri) {
        try {
            return store.resolve(uri);
        } catch (BadInputException e) {
            throw new RejectedRecordException(DeadLetterReason.PATH_OUTSIDE_STORE,
                    "CheckpointEvent.uri: " + e.getMessage(), e);
        }
    }
}
