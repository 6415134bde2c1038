// Heap held per PT record by the trainer, before and after the bounded store (docs/operations.md, "Load and
// soak"): reads a trainer store (<run>/trainer-data/<job>/targets.pb) into
//   before: a StreamingPtRecords holding every record (what the trainer held until the records stayed on disk);
//   after:  a PseudoTargetFile's handles (identity + byte offset) fed to a StreamingPtRecords, as TrainerJobs does now;
// and prints the heap each takes per record (used heap after full GCs; approximate, a few bytes of noise).
// Run (single-file source launcher, kd-core's classes and dependencies on the class path):
//   ./mvnw -B -q -o dependency:build-classpath -pl kd-core -Dmdep.outputFile=target/kd-core.classpath
//   java -Xmx4g -cp "kd-core/target/classes:$(cat kd-core/target/kd-core.classpath)" tools/soak-record-memory.java \
//       runs/soak-shakespeare/trainer-data/soak-shakespeare/targets.pb
import io.kdflow.core.local.StreamingPtRecords;
import io.kdflow.core.pt.PseudoTargetFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

public class SoakRecordMemory {

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        // open() may cut a torn tail and appends: work on a copy, never on a trainer's file
        Path copy = Files.createTempFile("soak-record-memory", ".pb");
        Files.copy(store, copy, StandardCopyOption.REPLACE_EXISTING);
        long fileBytes = Files.size(copy);

        long base = usedHeap();
        StreamingPtRecords before = new StreamingPtRecords();
        PseudoTargetFile.forEach(copy, before::add);
        long beforeBytes = usedHeap() - base;
        int records = before.size();
        before = null;

        base = usedHeap();
        PseudoTargetFile file = PseudoTargetFile.open(copy);
        StreamingPtRecords after = new StreamingPtRecords();
        file.handles().forEach(after::add);
        long afterBytes = usedHeap() - base;
        if (after.size() != records) {
            throw new IllegalStateException("read " + records + " records, then " + after.size() + " handles");
        }
        file.close();
        Files.delete(copy);

        System.out.printf(Locale.ROOT, "%d PT records, %.0f bytes each in the file%n", records,
                (double) fileBytes / records);
        System.out.printf(Locale.ROOT, "before (records in memory): %.1f MiB heap, %.0f bytes per record%n",
                beforeBytes / 1048576.0, (double) beforeBytes / records);
        System.out.printf(Locale.ROOT, "after (handles, records on disk): %.1f MiB heap, %.0f bytes per record%n",
                afterBytes / 1048576.0, (double) afterBytes / records);
    }

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
