package io.kdflow.sampler.sampling;

import io.kdflow.core.eval.ExampleTexts;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.service.RejectedRecordException;

/** A source example as the PT input of kd-core: a labeled TRAIN pair or an UNLABELED input. */
public final class ExampleInputs {

    private ExampleInputs() {}

    /**
     * @throws RejectedRecordException for another split, a TRAIN example without a reference, or an empty or
     *                                 over-long text ({@link ExampleTexts})
     */
    public static PtInput of(SourceExample example) {
        String id = example.getExampleId();
        text("SourceExample.source", id, example.getSource());
        for (int i = 0; i < example.getReferencesCount(); i++) {
            text("SourceExample.references[" + i + "]", id, example.getReferences(i));
        }
        if (example.getSplit() == Split.TRAIN) {
            if (example.getReferencesCount() == 0) {
                throw new RejectedRecordException("SourceExample.references: example " + id + " of split TRAIN has"
                        + " none (a labeled input needs its gold target)");
            }
            return PtInput.labeled(id, example.getSource(), example.getReferences(0));
        }
        if (example.getSplit() == Split.UNLABELED) {
            return PtInput.unlabeled(id, example.getSource());
        }
        throw new RejectedRecordException("SourceExample.split: " + example.getSplit() + " of example " + id
                + " is not allowed (the sampler writes pseudo-targets for TRAIN or UNLABELED inputs)");
    }

    private static void text(String field, String id, String text) {
        ExampleTexts.problem(text).ifPresent(problem -> {
            throw new RejectedRecordException(field + " of example " + id + ": " + problem);
        });
    }
}
