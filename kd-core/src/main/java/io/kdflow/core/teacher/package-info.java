/**
 * A teacher worth distilling, trained here when no pretrained weights can be downloaded: a tokenizer trained
 * on the task's text, a random-init BART, BART-style denoising pre-training, cross-entropy fine-tuning with
 * best-dev selection ({@link io.kdflow.core.teacher.TeacherTrainer}); a cache of trained teachers keyed by
 * what made them ({@link io.kdflow.core.teacher.TeacherCache}); and the check that catches the typical
 * failure of a teacher trained from scratch, a model that ignores its input
 * ({@link io.kdflow.core.teacher.InputSensitivity}).
 */
package io.kdflow.core.teacher;
