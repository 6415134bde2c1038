package io.kdflow.core.job;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.CodedOutputStream;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A job file (YAML, docs/jobs.md) read into the {@link JobSpec} record that {@code distill --local} and the
 * streaming services share. The schema is strict: an unknown key, a value of the wrong type or out of range, a
 * missing train set or broken YAML is a {@link BadInputException} naming the file, the key path, the value and
 * what is allowed. Relative paths resolve against the job file's folder. The spec is then resolved once with
 * {@link JobSettings#resolve(JobSpec)}, so a file that reads also resolves.
 */
public final class JobFile {

    private static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JobFile() {}

    /**
     * @throws BadInputException for a missing or unreadable file, broken YAML (with line and column) or a key
     *     the schema rejects
     */
    public static JobSpec read(Path file) {
        String label = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(label + ": no such job file", e);
        } catch (IOException e) {
            throw new BadInputException(label + ": cannot read the job file: " + e.getMessage(), e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(label, text, folder, defaultName(file));
    }

    /**
     * The spec of the YAML {@code text}; {@code label} names it in messages, relative paths resolve against
     * {@code folder} and {@code defaultName} is the job id when the text sets no name.
     */
    public static JobSpec parse(String label, String text, Path folder, String defaultName) {
        JsonNode root;
        try (JsonParser parser = YAML.createParser(text)) {
            root = YAML.readTree(parser);
            if (parser.nextToken() != null) {
                throw new BadInputException(label + ": line " + parser.currentLocation().getLineNr()
                        + ": a second YAML document (a job file holds one; remove the '---' and what follows)");
            }
        } catch (JsonProcessingException e) {
            throw new BadInputException(label + ": " + syntaxError(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string", e);
        }
        JobSpec spec = new JobFileSchema(YamlSection.root(label, root), folder, defaultName).spec();
        try {
            JobSettings.resolve(spec);
        } catch (BadInputException e) {
            throw new BadInputException(label + ": " + e.getMessage(), e);
        }
        return spec;
    }

    /**
     * The canonical serialization of a spec: deterministic protobuf binary (fields in number order, map entries
     * sorted), so the same settings give the same bytes whatever the order or comments of the file.
     */
    public static byte[] canonical(JobSpec spec) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(spec.getSerializedSize());
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        try {
            spec.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return bytes.toByteArray();
    }

    /** sha256 (64 lower-case hex digits) of {@link #canonical(JobSpec)}: the key of cached teachers and runs. */
    public static String hash(JobSpec spec) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical(spec)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The part of a spec that makes its teacher: the task (data locations, sizes, name), the teacher section,
     * the seed, the token limits and the evaluation (it selects the teacher's checkpoint). Two jobs with the same teacher part can share a trained teacher whatever
     * their students, objectives and names; the data's content is not included (hash the files for that).
     */
    public static JobSpec teacherPart(JobSpec spec) {
        TrainingSpec t = spec.getTraining();
        TrainingSpec.Builder training = TrainingSpec.newBuilder();
        if (t.hasSeed()) {
            training.setSeed(t.getSeed());
        }
        if (t.hasMaxSourceTokens()) {
            training.setMaxSourceTokens(t.getMaxSourceTokens());
        }
        if (t.hasMaxTargetTokens()) {
            training.setMaxTargetTokens(t.getMaxTargetTokens());
        }
        return JobSpec.newBuilder().setTask(spec.getTask()).setTaskSpec(spec.getTaskSpec())
                .setTeacher(spec.getTeacher()).setTeacherUri(spec.getTeacherUri())
                .setTeacherInitUri(spec.getTeacherInitUri()).setTraining(training).setEvaluation(spec.getEvaluation())
                .build();
    }

    /** {@link #hash} of {@link #teacherPart}: the key of a cached teacher. */
    public static String teacherKey(JobSpec spec) {
        return hash(teacherPart(spec));
    }

    /** The file's name without its .yaml / .yml extension. */
    static String defaultName(Path file) {
        String name = file.getFileName().toString();
        return name.replaceFirst("\\.(yaml|yml)$", "");
    }

    /** Where and what: the YAML reader's own problem and mark when it has them, else the parser's location. */
    private static String syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark at = yaml.getProblemMark();
            String context = yaml.getContext() == null || yaml.getContextMark() == null ? ""
                    : " (" + yaml.getContext() + " started at line " + (yaml.getContextMark().getLine() + 1)
                            + ", column " + (yaml.getContextMark().getColumn() + 1) + ")";
            return "line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ": not valid YAML: "
                    + firstLine(yaml.getProblem()) + context;
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return where + "not valid YAML: " + firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }
}
