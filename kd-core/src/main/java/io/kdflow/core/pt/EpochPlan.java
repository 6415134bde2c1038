package io.kdflow.core.pt;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.train.EpochBatches;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.TreeMap;

/**
 * Which examples each epoch trains on: the paper's PT rotation (docs/method.md, "Multiple pseudo-targets
 * and their rotation per epoch").
 *
 * <p>Rules, for epoch e (0-based) and K PTs per input:
 * <ul>
 *   <li>every gold pair (GOLD, or PASS_THROUGH gold without a teacher, of a TRAIN input), once;</li>
 *   <li>plus PT number {@code e mod K} of every labeled input (TEACHER, TRAIN) and, when
 *       {@link Options#includeUnlabeled}, of every unlabeled input (TEACHER, UNLABELED), once; K epochs see
 *       every PT once;</li>
 *   <li>K = 0: gold only; {@link Content#PTS_ONLY} drops the gold pairs, {@link Content#GOLD_ONLY} the PTs
 *       (the study's stages: fine-tuning on gold, PTs with or without gold);</li>
 *   <li>{@link #epoch} lists gold pairs then PTs, each sorted by example id: the same plan and epoch always
 *       give the same list, whatever order the records arrived in; {@link #batches} feeds the epochs to
 *       {@link EpochBatches}, the one place that shuffles (seeded by (seed, e)) and cuts micro-batches;</li>
 *   <li>records of other splits (DEV, TEST) are ignored; a record of a wanted kind whose
 *       {@code num_pseudo_targets} disagrees with K, a duplicate identity, or a labeled or unlabeled input
 *       missing PT {@code e mod K} when epoch e is asked for, is a {@link BadInputException} naming the
 *       example.</li>
 * </ul>
 * The plan holds {@link PtHandle}s; an epoch's list loads each record when it is read ({@link #epoch}), so a
 * plan over a {@link PseudoTargetFile}'s handles keeps the records on disk.
 */
public final class EpochPlan {

    /** What the epochs hold. */
    public enum Content {
        /** Gold pairs plus one PT per input (the chosen setting). */
        GOLD_AND_PTS,
        /** One PT per input, no gold. */
        PTS_ONLY,
        /** Gold pairs only (fine-tuning, the final fine-tune, K = 0). */
        GOLD_ONLY
    }

    /**
     * @param numPseudoTargets K (0 = gold only)
     * @param content          gold and / or PTs
     * @param includeUnlabeled PTs of unlabeled inputs join the epochs
     * @param seed             base of the per-epoch shuffle {@link #batches} uses
     */
    public record Options(int numPseudoTargets, Content content, boolean includeUnlabeled, long seed) {

        public Options {
            Objects.requireNonNull(content, "content");
            if (numPseudoTargets < 0) {
                throw new IllegalArgumentException("num_pseudo_targets must be >= 0, got " + numPseudoTargets);
            }
            if (numPseudoTargets == 0 && content == Content.PTS_ONLY) {
                throw new IllegalArgumentException("PTS_ONLY needs num_pseudo_targets >= 1");
            }
        }

        public boolean usesGold() {
            return content != Content.PTS_ONLY;
        }

        public boolean usesPts() {
            return content != Content.GOLD_ONLY && numPseudoTargets > 0;
        }
    }

    private final Options options;
    private final List<PtHandle> gold;
    /** Per input (sorted by id), its PTs by index. */
    private final Map<String, PtHandle[]> pts;

    private EpochPlan(Options options, List<PtHandle> gold, Map<String, PtHandle[]> pts) {
        this.options = options;
        this.gold = gold;
        this.pts = pts;
    }

    /**
     * Sorts {@code records} (e.g. {@link PseudoTargetFile#readAll}) into gold pairs and PTs by input.
     *
     * @throws BadInputException on a duplicate identity or a num_pseudo_targets that disagrees with K
     */
    public static EpochPlan of(Collection<PseudoTarget> records, Options options) {
        return ofHandles(records.stream().map(PtHandle::of).toList(), options);
    }

    /**
     * Like {@link #of}, over handles: records stay where the handles keep them (e.g. on disk) until an epoch's
     * list is read.
     */
    public static EpochPlan ofHandles(Collection<? extends PtHandle> records, Options options) {
        Map<String, PtHandle> gold = new TreeMap<>();
        Map<String, PtHandle[]> pts = new TreeMap<>();
        for (PtHandle record : records) {
            boolean wantedSplit = record.split() == Split.TRAIN
                    || record.split() == Split.UNLABELED && options.includeUnlabeled();
            if (!wantedSplit) {
                continue;
            }
            switch (record.kind()) {
                case GOLD, PASS_THROUGH -> {
                    if (options.usesGold() && record.split() == Split.TRAIN
                            && gold.put(record.exampleId(), record) != null) {
                        throw new BadInputException("example " + record.exampleId() + ": two gold records");
                    }
                }
                case TEACHER -> {
                    if (options.usesPts()) {
                        addPt(pts, record, options.numPseudoTargets());
                    }
                }
                default -> throw new BadInputException("example " + record.exampleId() + ": record kind "
                        + record.kind() + " is not a training target");
            }
        }
        return new EpochPlan(options, List.copyOf(gold.values()), pts);
    }

    private static void addPt(Map<String, PtHandle[]> pts, PtHandle record, int k) {
        String id = record.exampleId();
        if (record.numPseudoTargets() != k) {
            throw new BadInputException("example " + id + ", PT " + record.ptIndex() + ": num_pseudo_targets="
                    + Integer.toUnsignedString(record.numPseudoTargets()) + " but the plan has K=" + k);
        }
        PtHandle[] byIndex = pts.computeIfAbsent(id, key -> new PtHandle[k]);
        int index = record.ptIndex();
        if (byIndex[index] != null) {
            throw new BadInputException("example " + id + ": two records of PT " + index);
        }
        byIndex[index] = record;
    }

    public Options options() {
        return options;
    }

    /** Gold pairs per epoch (0 when the plan uses no gold). */
    public int goldCount() {
        return gold.size();
    }

    /** Inputs that contribute one PT per epoch. */
    public int ptInputCount() {
        return pts.size();
    }

    /** Examples of every epoch. */
    public int epochSize() {
        return gold.size() + pts.size();
    }

    /** PT index epoch {@code epoch} uses: {@code epoch mod K} (0 when K = 0). */
    public int ptIndexOf(int epoch) {
        return options.numPseudoTargets() == 0 ? 0 : Math.floorMod(epoch, options.numPseudoTargets());
    }

    /**
     * The micro-batches of {@code epochs} epochs of this plan, shuffled per epoch with the plan's seed: the
     * batch source the training loop reads.
     */
    public EpochBatches batches(int batchSize, int epochs) {
        return new EpochBatches(this::epoch, batchSize, epochs, options.seed());
    }

    /**
     * The examples of epoch {@code epoch}, in a fixed order (gold, then PTs, each by example id). The list is
     * unmodifiable and loads each record when it is read ({@link PtHandle#load}): it holds handles, not records.
     *
     * @throws BadInputException when an input lacks PT {@code epoch mod K}
     */
    public List<TrainingExample> epoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        List<PtHandle> examples = new ArrayList<>(epochSize());
        examples.addAll(gold);
        int index = ptIndexOf(epoch);
        for (Map.Entry<String, PtHandle[]> input : pts.entrySet()) {
            PtHandle pt = input.getValue()[index];
            if (pt == null) {
                throw new BadInputException("example " + input.getKey() + ": epoch " + epoch + " needs PT " + index
                        + " of " + options.numPseudoTargets() + ", which no record holds");
            }
            examples.add(pt);
        }
        return new LoadingList(examples);
    }

    /** Examples loaded from their handles as they are read. */
    private static final class LoadingList extends AbstractList<TrainingExample> implements RandomAccess {

        private final List<PtHandle> handles;

        LoadingList(List<PtHandle> handles) {
            this.handles = handles;
        }

        @Override
        public TrainingExample get(int index) {
            return new TrainingExample(handles.get(index).load());
        }

        @Override
        public int size() {
            return handles.size();
        }
    }
}
