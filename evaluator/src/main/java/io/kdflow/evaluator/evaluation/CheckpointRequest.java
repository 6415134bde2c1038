package io.kdflow.evaluator.evaluation;

import io.kdflow.evaluator.state.CheckpointId;

/**
 * A checkpoint to evaluate.
 *
 * @param id job, role, step and the announced sha256
 * @param uri model-store URI of the Hugging Face-layout directory
 * @param manifestRequired true for checkpoint events, whose sha256 is that of the directory's manifest (a
 *     trainer's) or of its model.safetensors (a teacher-ready event); false for a JobSpec's teacher_uri, whose
 *     manifest is checked only when present
 */
public record CheckpointRequest(CheckpointId id, String uri, boolean manifestRequired) {

    public String job() {
        return id.job();
    }
}
