/** student-trainer's own measurements on {@code /q/metrics}. */
package io.kdflow.trainer.metrics;
