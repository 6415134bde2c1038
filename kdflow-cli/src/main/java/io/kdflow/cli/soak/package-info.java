/**
 * {@code kdflow soak} (tools/soak.sh): a load test of the pt-sampler and student-trainer under a backlog of
 * inputs, sampling their resident memory and their consumer groups' lag, with a CSV, a PNG plot and the checks
 * of docs/operations.md, "Load and soak".
 */
package io.kdflow.cli.soak;
