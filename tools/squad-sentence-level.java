// Derives data/squad/ (sentence-level question generation) from the shared SQuAD files, whose sources are
// whole paragraphs: "{paragraph}; answer: {answer}" (KD4Gen's load_squad format) -> "{sentence}; answer: {answer}",
// where sentence = the sentence(s) of the paragraph that hold the answer's first occurrence (sentence-level QG, as
// in Du et al. 2017). Why: paragraphs average 124 words, beyond what a teacher trained on this CPU can take, and a
// source cut to the model's positions loses the answer, which comes last. The questions and ids are unchanged.
// Run (single-file source launcher, kd-core's dependencies on the class path for Jackson):
//   ./mvnw -B -q -o dependency:build-classpath -pl kd-core -Dmdep.outputFile=target/kd-core.classpath
//   java -cp "$(cat kd-core/target/kd-core.classpath)" tools/squad-sentence-level.java SHARED_SQUAD_DIR data/squad
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class SquadSentenceLevel {

    private static final String ANSWER_MARK = "; answer: ";
    /** A sentence ends at . ! or ? followed by space and a capital, digit, quote or bracket. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z0-9\"'(])");
    /** How many lines of each file to keep (dev and test: the first lines, as data/art does). */
    private static final Map<String, Integer> LIMITS = Map.of("train", 10_000, "dev", 300, "test", 500, "unlabeled", 8_000);

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        for (String split : List.of("train", "dev", "test", "unlabeled")) {
            int written = 0, multiSentence = 0;
            long words = 0;
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve(split + ".jsonl"), StandardCharsets.UTF_8)) {
                for (String line : Files.readAllLines(in.resolve(split + ".jsonl"), StandardCharsets.UTF_8)) {
                    if (written == LIMITS.get(split)) break;
                    ObjectNode row = (ObjectNode) json.readTree(line);
                    String source = row.get("source").asText();
                    int mark = source.lastIndexOf(ANSWER_MARK);
                    if (mark < 0) throw new IllegalArgumentException(split + " " + row.get("id") + ": no '; answer: ' in source");
                    String paragraph = source.substring(0, mark);
                    String answer = source.substring(mark + ANSWER_MARK.length());
                    int at = paragraph.indexOf(answer);
                    if (at < 0) throw new IllegalArgumentException(split + " " + row.get("id") + ": answer not in paragraph");
                    String sentence = sentencesCovering(paragraph, at, at + answer.length());
                    if (sentence.length() < paragraph.length() && !isOneSentence(sentence)) multiSentence++;
                    words += sentence.split(" ").length;
                    row.put("source", sentence + ANSWER_MARK + answer);
                    w.write(json.writeValueAsString(row));
                    w.newLine();
                    written++;
                }
            }
            System.out.printf("%s: %d rows, %.1f words of sentence on average, %d spanning several sentences%n",
                    split, written, (double) words / written, multiSentence);
        }
    }

    /** The shortest run of whole sentences of the paragraph that contains [from, to). */
    static String sentencesCovering(String paragraph, int from, int to) {
        List<int[]> spans = new ArrayList<>();
        int start = 0;
        Matcher m = SENTENCE_END.matcher(paragraph);
        while (m.find()) {
            spans.add(new int[] {start, m.start()});
            start = m.end();
        }
        spans.add(new int[] {start, paragraph.length()});
        int first = -1, last = -1;
        for (int i = 0; i < spans.size(); i++) {
            if (first < 0 && spans.get(i)[1] > from) first = i;
            if (spans.get(i)[0] < to) last = i;
        }
        return paragraph.substring(spans.get(first)[0], spans.get(last)[1]);
    }

    private static boolean isOneSentence(String text) {
        return !SENTENCE_END.matcher(text).find();
    }
}
