package io.kdflow.teacher.scoring;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.service.RejectedRecordException;
import io.kdflow.service.TeacherCheckpoints;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The teachers in memory, by store URI and sha256, at most {@code capacity} of them (the least recently used is closed). Not
 * thread-safe: the scorer runs on the consumer's one thread.
 */
final class LoadedTeachers implements AutoCloseable {

    private final ModelStore store;
    private final int capacity;
    private final NDManager manager = NDManager.newBaseManager();
    private final LinkedHashMap<String, ModelDirectory> loaded = new LinkedHashMap<>(4, 0.75f, true);

    LoadedTeachers(ModelStore store, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("scoring.loaded-teachers must be >= 1, got " + capacity);
        }
        this.store = store;
        this.capacity = capacity;
    }

    /**
     * The teacher of a teacher-ready event, checked before it is loaded ({@link TeacherCheckpoints}: inside the
     * store, its files present, its weights the announced ones); cached by URI and sha256.
     *
     * @throws RejectedRecordException when the URI lies outside the store, a file is missing or differs, or it names
     *                                 no readable model directory
     */
    ModelDirectory get(CheckpointEvent teacher) {
        String uri = teacher.getUri();
        String key = uri + "@" + teacher.getSha256();
        ModelDirectory directory = loaded.get(key);
        if (directory != null) {
            return directory;
        }
        Path checked = TeacherCheckpoints.verifiedDirectory(store, teacher);
        try {
            directory = ModelDirectory.loadWithoutTokenizer(checked, manager);
        } catch (BadInputException e) {
            throw new RejectedRecordException("teacher-ready event uri " + uri + ": " + e.getMessage(), e);
        }
        loaded.put(key, directory);
        if (loaded.size() > capacity) {
            Iterator<Map.Entry<String, ModelDirectory>> eldest = loaded.entrySet().iterator();
            eldest.next().getValue().close();
            eldest.remove();
        }
        return directory;
    }

    @Override
    public void close() {
        loaded.values().forEach(ModelDirectory::close);
        loaded.clear();
        manager.close();
    }
}
