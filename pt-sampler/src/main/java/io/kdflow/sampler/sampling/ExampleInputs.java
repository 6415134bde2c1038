package io.kdflow.sampler.sampling;

import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.service.RejectedRecordException;

/** A source example as the PT input of kd-core: a labeled TRAIN pair or an UNLABELED input. */
public final class ExampleInputs {

    private ExampleInputs() {}

    /**
     * @throws RejectedRecordException for another split, or a TRAIN example without a reference
     */
    public static PtInput of(SourceExample example) {
        String id = example.getExampleId();
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
}
