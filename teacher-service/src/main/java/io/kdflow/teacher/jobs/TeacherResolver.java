package io.kdflow.teacher.jobs;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.local.StreamingSteps;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.teacher.config.TeacherConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Resolves each job's teacher into the model store with kd-core's teacher phase ({@link StreamingSteps}): used as
 * is, copied in once, fine-tuned or trained into the teacher cache {@code <store>/teachers/}. Training can take
 * hours, so it runs on a worker thread of its own (one job after the other: a teacher trains on every core it is
 * given), never on a Kafka consumer thread. Remembers the ready teachers for the REST API.
 */
@ApplicationScoped
public class TeacherResolver {

    private static final Logger LOG = Logger.getLogger(TeacherResolver.class);

    private final ModelStore store;
    private final Map<String, ReadyTeacher> ready = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "teacher-jobs");
        thread.setDaemon(true);
        return thread;
    });

    public TeacherResolver(TeacherConfig config) {
        this.store = new ModelStore(Path.of(config.modelStore()));
    }

    public ModelStore store() {
        return store;
    }

    /**
     * Queues the job's teacher; {@code onReady} is called on the worker thread once it lies in the store,
     * {@code onBad} when the job's teacher section cannot be used (no model directory, no data to train on).
     */
    public void submit(JobSpec spec, Consumer<ReadyTeacher> onReady, Consumer<BadInputException> onBad) {
        String jobId = spec.getHeader().getJobId();
        worker.execute(() -> {
            ReadyTeacher teacher;
            try {
                Path directory = StreamingSteps.teacherInStore(spec, store.root(), new LoggedProgress(jobId));
                teacher = new ReadyTeacher(jobId, directory, store.uriOf(directory).toString(),
                        ModelStore.sha256(directory.resolve("model.safetensors")));
            } catch (BadInputException e) {
                LOG.warnf("job %s: no teacher: %s", jobId, e.getMessage());
                onBad.accept(e);
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "job %s: resolving the teacher failed (it is tried again when the service restarts"
                        + " and reads the job again)", jobId);
                return;
            }
            ready.put(jobId, teacher);
            LOG.infof("job %s: teacher ready at %s (sha256 %s)", jobId, teacher.uri(), teacher.sha256());
            try {
                onReady.accept(teacher);
            } catch (RuntimeException e) {
                LOG.errorf(e, "job %s: the teacher-ready event was not published", jobId);
            }
        });
    }

    /** The job's teacher, once resolved by this process. */
    public Optional<ReadyTeacher> teacherOf(String jobId) {
        return Optional.ofNullable(ready.get(jobId));
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
