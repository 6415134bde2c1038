/**
 * Run reports: evaluation points of a distillation run ({@link io.kdflow.cli.report.EvalPoint}) in,
 * {@code report.json}, {@code report.md} and PNG plots out ({@link io.kdflow.cli.report.ReportWriter}).
 * Independent of Kafka: the evaluator's EvalReport records map onto {@code EvalPoint}.
 */
package io.kdflow.cli.report;
