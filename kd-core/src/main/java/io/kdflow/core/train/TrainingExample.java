package io.kdflow.core.train;

import io.kdflow.core.wire.proto.TeacherDistribution;

/**
 * One training pair as the data sources deliver it, before tokenization. Objectives that need more than the
 * text read it from here: logit KD the sparse teacher distribution carried by the pseudo-target record.
 *
 * @param exampleId the example's id (pseudo-targets of one input share it)
 * @param source the input text
 * @param target the target text (gold or a pseudo-target)
 * @param teacher the teacher's sparse distribution over the target's tokens; the default instance
 *     ({@code positions == 0}) when the record carries none
 */
public record TrainingExample(String exampleId, String source, String target, TeacherDistribution teacher) {

    /** A pair with no teacher distribution. */
    public static TrainingExample of(String exampleId, String source, String target) {
        return new TrainingExample(exampleId, source, target, TeacherDistribution.getDefaultInstance());
    }

    public boolean hasTeacher() {
        return teacher.getPositions() > 0;
    }
}
