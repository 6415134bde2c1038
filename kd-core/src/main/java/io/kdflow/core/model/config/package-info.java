/**
 * Hugging Face {@code config.json} and {@code generation_config.json} for BART, T5 and GPT-2: every
 * architecture detail the models need, checked on read (errors name the file and key), written back
 * with the original keys preserved.
 */
package io.kdflow.core.model.config;
