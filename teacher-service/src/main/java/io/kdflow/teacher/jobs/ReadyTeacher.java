package io.kdflow.teacher.jobs;

import java.nio.file.Path;

/**
 * A job's teacher, resolved into the model store.
 *
 * @param jobId the job
 * @param directory the teacher's Hugging Face directory inside the store
 * @param uri its {@code store:} URI
 * @param sha256 the sha256 of its {@code model.safetensors}
 */
public record ReadyTeacher(String jobId, Path directory, String uri, String sha256) {}
