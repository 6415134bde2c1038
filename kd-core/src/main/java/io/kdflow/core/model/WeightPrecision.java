package io.kdflow.core.model;

/** The floating-point format weights are written in; models always compute in float32. */
public enum WeightPrecision {
    /** As trained: a checkpoint that resumes exactly. */
    FP32,
    /** Half the bytes, for shipping a finished model (about 3 significant decimal digits per weight). */
    FP16
}
