package io.kdflow.cli.metrics;

import io.kdflow.cli.jsonl.JsonLine;

/** The value read from one line of a JSON Lines file, with the line's id and position. */
record KeyedLine<T>(String id, JsonLine line, T value) {
}
