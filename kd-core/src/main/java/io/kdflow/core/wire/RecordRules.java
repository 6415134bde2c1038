package io.kdflow.core.wire;

import com.google.protobuf.ProtocolMessageEnum;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TopicPartitionOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The kdflow.v1 contract of each record type, beyond what protobuf parsing guarantees. */
final class RecordRules {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private RecordRules() {
    }

    static void checkJobSpec(JobSpec job, Violations violations) {
        checkHeader(job.hasHeader(), job.getHeader(), true, violations);
        requireNonEmpty(job.getTask(), "task", violations);
        if (job.hasPseudoTargets()) {
            PseudoTargetSpec spec = job.getPseudoTargets();
            requireKnown(spec.getDecoding().getStrategy(), spec.getDecoding().getStrategyValue(),
                    "pseudo_targets.decoding.strategy", violations);
            requireKnown(spec.getQuantization(), spec.getQuantizationValue(), "pseudo_targets.quantization",
                    violations);
            if (spec.getDistributionTopK() != 0
                    && spec.getQuantization() == TeacherDistribution.Quantization.QUANTIZATION_UNSPECIFIED) {
                throw violations.at("pseudo_targets.quantization",
                        "must be FP32, FP16 or INT8 when distribution_top_k > 0");
            }
        }
        requireKnown(job.getTraining().getObjective(), job.getTraining().getObjectiveValue(), "training.objective",
                violations);
        requireKnown(job.getTraining().getJointTeaching(),
                job.getTraining().getJointTeachingValue(), "training.joint_teaching", violations);
    }

    static void checkSourceExample(SourceExample example, Violations violations) {
        checkHeader(example.hasHeader(), example.getHeader(), true, violations);
        requireNonEmpty(example.getExampleId(), "example_id", violations);
        Split split = requireSpecified(example.getSplit(), example.getSplitValue(), Split.SPLIT_UNSPECIFIED, "split",
                violations);
        if (split != Split.UNLABELED && example.getReferencesCount() == 0) {
            throw violations.at("references", "a " + split + " example needs at least one reference");
        }
    }

    static void checkPseudoTarget(PseudoTarget target, Violations violations) {
        checkHeader(target.hasHeader(), target.getHeader(), true, violations);
        requireNonEmpty(target.getExampleId(), "example_id", violations);
        requireSpecified(target.getSplit(), target.getSplitValue(), Split.SPLIT_UNSPECIFIED, "split", violations);
        PseudoTarget.Kind kind = requireSpecified(target.getKind(), target.getKindValue(),
                PseudoTarget.Kind.KIND_UNSPECIFIED, "kind", violations);
        long index = Integer.toUnsignedLong(target.getPtIndex());
        long count = Integer.toUnsignedLong(target.getNumPseudoTargets());
        if (count > 0 && index >= count) {
            throw violations.at("pt_index", "pt_index=" + index + " must be < num_pseudo_targets=" + count);
        }
        if (kind != PseudoTarget.Kind.TEACHER && index != 0) {
            throw violations.at("pt_index", "must be 0 for a " + kind + " target, got " + index);
        }
        requireTokenIds(target.getSourceTokenIdsList(), "source_token_ids", violations);
        requireTokenIds(target.getTokenIdsList(), "token_ids", violations);
        double logProb = target.getSequenceLogProb();
        if (!Double.isFinite(logProb) || logProb > DistributionRules.LOG_PROB_TOLERANCE) {
            throw violations.at("sequence_log_prob", "must be finite and <= 0, got " + logProb);
        }
        if (target.hasDistribution()) {
            if (kind == PseudoTarget.Kind.PASS_THROUGH) {
                throw violations.at("distribution", "a PASS_THROUGH target carries no distribution");
            }
            checkDistributionOfTokens(target.getDistribution(), target.getTokenIdsList(), violations);
        }
    }

    static void checkStudentSample(StudentSample sample, Violations violations) {
        checkHeader(sample.hasHeader(), sample.getHeader(), true, violations);
        requireNonEmpty(sample.getRequestId(), "request_id", violations);
        requireNonEmpty(sample.getExampleId(), "example_id", violations);
        requireTokenIds(sample.getSourceTokenIdsList(), "source_token_ids", violations);
        requireTokenIds(sample.getTokenIdsList(), "token_ids", violations);
    }

    static void checkStudentScores(StudentScores scores, Violations violations) {
        checkHeader(scores.hasHeader(), scores.getHeader(), true, violations);
        requireNonEmpty(scores.getRequestId(), "request_id", violations);
        requireNonEmpty(scores.getExampleId(), "example_id", violations);
        if (!scores.hasDistribution()) {
            throw violations.at("distribution", "missing");
        }
        DistributionRules.check(scores.getDistribution(), violations.nested("distribution"));
    }

    static void checkCheckpointEvent(CheckpointEvent event, Violations violations) {
        checkHeader(event.hasHeader(), event.getHeader(), true, violations);
        requireSpecified(event.getRole(), event.getRoleValue(), ModelRole.ROLE_UNSPECIFIED, "role", violations);
        requireNonEmpty(event.getUri(), "uri", violations);
        requireSha256(event.getSha256(), "sha256", violations);
        List<TopicPartitionOffset> consumed = event.getConsumedList();
        for (int i = 0; i < consumed.size(); i++) {
            TopicPartitionOffset offset = consumed.get(i);
            String field = "consumed[" + i + "]";
            requireNonEmpty(offset.getTopic(), field + ".topic", violations);
            if (offset.getPartition() < 0) {
                throw violations.at(field + ".partition", "must be >= 0, got " + offset.getPartition());
            }
            if (offset.getOffset() < 0) {
                throw violations.at(field + ".offset", "must be >= 0, got " + offset.getOffset());
            }
        }
    }

    static void checkEvalReport(EvalReport report, Violations violations) {
        checkHeader(report.hasHeader(), report.getHeader(), true, violations);
        requireSpecified(report.getRole(), report.getRoleValue(), ModelRole.ROLE_UNSPECIFIED, "role", violations);
        requireSpecified(report.getSplit(), report.getSplitValue(), Split.SPLIT_UNSPECIFIED, "split", violations);
        if (!report.getCheckpointSha256().isEmpty()) {
            requireSha256(report.getCheckpointSha256(), "checkpoint_sha256", violations);
        }
        for (Map.Entry<String, Double> metric : report.getMetricsMap().entrySet()) {
            if (metric.getKey().isEmpty()) {
                throw violations.at("metrics", "metric name must not be empty");
            }
            if (!Double.isFinite(metric.getValue())) {
                throw violations.at("metrics[" + metric.getKey() + "]", "must be finite, got " + metric.getValue());
            }
        }
    }

    /** A dead letter's job may be unknown (its record was unreadable), so job_id may be empty here. */
    static void checkDeadLetter(DeadLetter letter, Violations violations) {
        checkHeader(letter.hasHeader(), letter.getHeader(), false, violations);
        requireNonEmpty(letter.getService(), "service", violations);
        requireNonEmpty(letter.getSourceTopic(), "source_topic", violations);
        if (letter.getSourcePartition() < -1) {
            throw violations.at("source_partition", "must be >= 0, or -1 when unknown, got "
                    + letter.getSourcePartition());
        }
        if (letter.getSourceOffset() < -1) {
            throw violations.at("source_offset", "must be >= 0, or -1 when unknown, got " + letter.getSourceOffset());
        }
        requireNonEmpty(letter.getReason(), "reason", violations);
        if (letter.getReason().indexOf('\n') >= 0 || letter.getReason().indexOf('\r') >= 0) {
            throw violations.at("reason", "must be one line");
        }
    }

    private static void checkHeader(boolean present, RecordHeader header, boolean jobIdRequired,
            Violations violations) {
        if (!present) {
            throw violations.at("header", "missing");
        }
        if (header.getSchemaVersion() != Wire.SCHEMA_VERSION) {
            throw violations.at("header.schema_version", "unknown schema version "
                    + Integer.toUnsignedString(header.getSchemaVersion()) + "; this reader knows "
                    + Wire.SCHEMA_VERSION);
        }
        String jobId = header.getJobId();
        if (jobIdRequired && jobId.isEmpty()) {
            throw violations.at("header.job_id", "must not be empty");
        }
        if (jobId.indexOf('/') >= 0) {
            throw violations.at("header.job_id", "must not contain '/' (record keys use it as separator), got \""
                    + jobId + "\"");
        }
        if (header.hasProvenance()) {
            requireKnown(header.getProvenance().getDecoding().getStrategy(),
                    header.getProvenance().getDecoding().getStrategyValue(), "header.provenance.decoding.strategy",
                    violations);
        }
    }

    /** The distribution of a target: one row per target token, and the target's ids inside its vocabulary. */
    private static void checkDistributionOfTokens(TeacherDistribution distribution, List<Integer> tokenIds,
            Violations violations) {
        DistributionRules.check(distribution, violations.nested("distribution"));
        if (distribution.getPositions() != tokenIds.size()) {
            throw violations.at("distribution.positions", "expected " + tokenIds.size()
                    + " (one per token of token_ids), got " + Integer.toUnsignedString(distribution.getPositions()));
        }
        for (int i = 0; i < tokenIds.size(); i++) {
            if (tokenIds.get(i) >= distribution.getVocabSize()) {
                throw violations.at("token_ids[" + i + "]", "token id " + tokenIds.get(i)
                        + " is outside [0, distribution.vocab_size=" + distribution.getVocabSize() + ")");
            }
        }
    }

    private static void requireTokenIds(List<Integer> tokenIds, String field, Violations violations) {
        for (int i = 0; i < tokenIds.size(); i++) {
            if (tokenIds.get(i) < 0) {
                throw violations.at(field + "[" + i + "]", "token id must be >= 0, got " + tokenIds.get(i));
            }
        }
    }

    private static void requireNonEmpty(String value, String field, Violations violations) {
        if (value.isEmpty()) {
            throw violations.at(field, "must not be empty");
        }
    }

    private static void requireSha256(String value, String field, Violations violations) {
        if (!SHA256_HEX.matcher(value).matches()) {
            throw violations.at(field, "must be 64 lower-case hex digits (sha256), got \"" + abbreviate(value) + "\"");
        }
    }

    /** Rejects enum numbers this reader does not know (protobuf keeps them as UNRECOGNIZED). */
    private static <E extends Enum<E> & ProtocolMessageEnum> E requireKnown(E value, int number, String field,
            Violations violations) {
        if ("UNRECOGNIZED".equals(value.name())) {
            throw violations.at(field, "unknown enum value " + number);
        }
        return value;
    }

    private static <E extends Enum<E> & ProtocolMessageEnum> E requireSpecified(E value, int number, E unspecified,
            String field, Violations violations) {
        requireKnown(value, number, field, violations);
        if (value == unspecified) {
            throw violations.at(field, "must be set, got " + unspecified);
        }
        return value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
