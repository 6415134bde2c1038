/**
 * The live run page at {@code /}: a static HTML page with plain JavaScript (no build step) that polls
 * {@code GET /api/runs}, the jobs, their leaderboard, the trainer's dev metrics over steps and the evaluator's
 * counters as JSON.
 */
package io.kdflow.evaluator.runpage;
