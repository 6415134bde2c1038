/** picocli mixins for the options several commands share (model, line files, threads, batch size, decoding). */
package io.kdflow.cli.options;
