/**
 * Text-generation quality metrics that reproduce the reference Python libraries number for number.
 *
 * <ul>
 *   <li>{@link io.kdflow.core.metrics.Bleu}, {@link io.kdflow.core.metrics.Chrf} and
 *       {@link io.kdflow.core.metrics.Ter}: sacrebleu 2.x with its default settings.</li>
 *   <li>{@link io.kdflow.core.metrics.Rouge}: Google's rouge-score package (ROUGE-1, ROUGE-2, ROUGE-L),
 *       optionally with NLTK's Porter stemmer ({@link io.kdflow.core.metrics.PorterStemmer}).</li>
 *   <li>{@link io.kdflow.core.metrics.TaskMetrics}: the facade the CLI and the evaluator call, with the
 *       paper's protocol (drop empty pairs, ROUGE = mean of the three F1).</li>
 *   <li>{@link io.kdflow.core.metrics.MeanNll}: the paper's "PPL" (mean gold NLL, not exponentiated).</li>
 * </ul>
 *
 * <p>Python semantics matter for exactness: strings are sequences of code points, and "whitespace" is what
 * Python's {@code str.split()} splits on ({@link io.kdflow.core.metrics.PythonStrings}).
 * See {@code docs/metrics.md} for definitions and the tolerances reached against the golden fixture.
 */
package io.kdflow.core.metrics;
