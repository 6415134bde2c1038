package io.kdflow.cli.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The kill matrix's table: one row per run (the reference, then each killed process) with kills, recoveries, PTs
 * expected / trained, duplicates (copies on the PT topic / copies the trainer dropped), the trainer's resumes, the
 * time to recover (mean and longest) and the checks; as text, as Markdown and as JSON.
 */
final class ChaosTable {

    private static final List<String> HEADER = List.of("process", "kills", "recoveries", "PTs expected / trained",
            "duplicates topic / trainer", "trainer resumes", "recover mean / max", "steps (bit-equal)",
            "loss max rel. diff", "checks");

    private ChaosTable() {}

    static String name(ChaosRun.Result result) {
        return result.victim().map(ChaosVictim::label).orElse("none (reference)");
    }

    static List<String> lines(List<ChaosMatrix.Row> rows, int kills) {
        List<List<String>> cells = cells(rows);
        int[] widths = new int[HEADER.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format(Locale.ROOT, "%-" + widths[i] + "s  ",
                        row.get(i)));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    static List<String> markdown(List<ChaosMatrix.Row> rows, int kills) {
        List<String> lines = new ArrayList<>();
        List<List<String>> cells = cells(rows);
        lines.add("| " + String.join(" | ", cells.get(0)) + " |");
        lines.add("|" + "---|".repeat(HEADER.size()));
        cells.subList(1, cells.size()).forEach(row -> lines.add("| " + String.join(" | ", row) + " |"));
        return lines;
    }

    private static List<List<String>> cells(List<ChaosMatrix.Row> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADER);
        for (ChaosMatrix.Row row : rows) {
            ChaosRun.Result result = row.result();
            ChaosRun.Evidence evidence = result.evidence();
            boolean reference = result.victim().isEmpty();
            long recovered = result.kills().stream().filter(k -> k.recovered().isPresent()).count();
            List<String> failed = row.checks().entrySet().stream().filter(e -> !e.getValue().isEmpty())
                    .map(Map.Entry::getKey).toList();
            cells.add(List.of(name(result),
                    reference ? "-" : String.valueOf(result.kills().size()),
                    reference ? "-" : String.valueOf(recovered),
                    evidence.expectedPts() + " / " + number(evidence.trainedPts()),
                    evidence.topicCopies() + " / " + number(evidence.trainerDuplicates()),
                    number(evidence.trainerResumes()),
                    reference ? "-" : recovery(result.kills()),
                    evidence.steps().size() + row.losses().map(l -> " (" + l.exact() + ")").orElse(""),
                    row.losses().map(l -> String.format(Locale.ROOT, "%.1e", l.maxRelative())).orElse("-"),
                    failed.isEmpty() ? "ok" : "FAILED: " + String.join(", ", failed)));
        }
        return cells;
    }

    private static String recovery(List<ChaosRun.Kill> kills) {
        List<Duration> times = kills.stream().flatMap(k -> k.recovered().stream()).toList();
        if (times.isEmpty()) {
            return "n/a";
        }
        double mean = times.stream().mapToDouble(ChaosRun::seconds).average().orElse(0);
        double max = times.stream().mapToDouble(ChaosRun::seconds).max().orElse(0);
        return String.format(Locale.ROOT, "%.1f / %.1f s", mean, max);
    }

    private static String number(OptionalLong value) {
        return value.isPresent() ? String.valueOf(value.getAsLong()) : "n/a";
    }

    /** Everything the table shows and each kill, for chaos.json. */
    static Map<String, Object> json(List<ChaosMatrix.Row> rows, int kills, long seed, Duration total) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kills_per_process", kills);
        json.put("seed", seed);
        json.put("seconds", ChaosRun.seconds(total));
        json.put("passed", rows.stream().allMatch(ChaosMatrix.Row::passed));
        List<Map<String, Object>> runs = new ArrayList<>();
        for (ChaosMatrix.Row row : rows) {
            ChaosRun.Result result = row.result();
            ChaosRun.Evidence evidence = result.evidence();
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("process", result.victim().map(ChaosVictim::label).orElse(null));
            run.put("completed", result.completed());
            run.put("failure", result.failure().orElse(null));
            run.put("job_seconds", ChaosRun.seconds(result.jobTime()));
            run.put("wall_seconds", ChaosRun.seconds(result.wallTime()));
            run.put("run_dir", result.runDir().toString());
            run.put("kill_points_reference_seconds", result.plan().map(p -> p.at().stream().map(ChaosRun::seconds)
                    .toList()).orElse(List.of()));
            run.put("kill_points_progress", result.plan().map(KillPlan::milestones).orElse(List.of()));
            List<Map<String, Object>> killList = new ArrayList<>();
            for (ChaosRun.Kill kill : result.kills()) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("index", kill.index());
                k.put("at_job_seconds", ChaosRun.seconds(kill.at()));
                k.put("at_progress", kill.units());
                k.put("pt_records_on_topic", kill.ptRecords());
                k.put("trainer_steps", kill.trainerSteps());
                k.put("up_seconds", kill.up().map(ChaosRun::seconds).orElse(null));
                k.put("recovered_seconds", kill.recovered().map(ChaosRun::seconds).orElse(null));
                k.put("note", kill.note());
                killList.add(k);
            }
            run.put("kills", killList);
            run.put("pt_records_expected", evidence.expectedPts());
            run.put("pt_records_on_topic", evidence.topicPts());
            run.put("pt_copies_on_topic", evidence.topicCopies());
            run.put("pt_records_trained", value(evidence.trainedPts()));
            run.put("pt_records_trained_source", evidence.trainedSource());
            run.put("pt_records_duplicate", value(evidence.trainerDuplicates()));
            run.put("trainer_resumes", value(evidence.trainerResumes()));
            run.put("trainer_steps", evidence.steps().size());
            run.put("reports_per_checkpoint", evidence.reportCounts());
            run.put("student_metrics", evidence.studentMetrics());
            run.put("dead_letters", evidence.deadLetters());
            row.losses().ifPresent(losses -> {
                run.put("steps_compared", losses.compared());
                run.put("steps_bit_equal", losses.exact());
                run.put("loss_max_relative_difference", losses.maxRelative());
            });
            run.put("checks", row.checks());
            runs.add(run);
        }
        json.put("runs", runs);
        return json;
    }

    private static Object value(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
