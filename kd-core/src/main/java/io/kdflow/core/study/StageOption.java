package io.kdflow.core.study;

import java.util.List;

/**
 * One option of a stage: the job-file keys it sets. {@code carried} keys stay in every later stage's jobs when
 * the option is chosen; {@code local} keys apply to this stage's run only (e.g. S1's from-scratch students and
 * their longer training).
 *
 * @param id short name, used in run names and file names (e.g. {@code logit_kd})
 * @param label what the paper's Figure 1 calls it (e.g. {@code Logits KD})
 * @param choosable false for a reference row that a stage shows but never carries (S4's "No PTs": the later
 *     stages are about how PTs are made, so they need some)
 */
public record StageOption(String id, String label, List<Override> carried, List<Override> local, boolean choosable) {

    /** One key of a job file: a dotted path and its YAML value (a whole section when the value is a mapping). */
    public record Override(String path, String yaml) {
        @java.lang.Override
        public String toString() {
            return path + "=" + yaml;
        }
    }

    public StageOption {
        carried = List.copyOf(carried);
        local = List.copyOf(local);
    }

    /** An option whose keys all carry. */
    public static StageOption carrying(String id, String label, Override... keys) {
        return new StageOption(id, label, List.of(keys), List.of(), true);
    }

    /** A reference row: shown and compared, never chosen. */
    public StageOption asReference() {
        return new StageOption(id, label, carried, local, false);
    }

    /** The carried keys, then the local ones: what this option adds to the jobs before it. */
    public List<Override> keys() {
        List<Override> all = new java.util.ArrayList<>(carried);
        all.addAll(local);
        return all;
    }

    public static Override key(String path, String yaml) {
        return new Override(path, yaml);
    }
}
