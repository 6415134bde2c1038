package io.kdflow.cli;

import io.kdflow.cli.jsonl.JsonLine;
import io.kdflow.cli.jsonl.JsonLinesFile;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.tokenizer.BpeTrainer;
import io.kdflow.core.tokenizer.TokenizerArchitecture;
import io.kdflow.core.tokenizer.TrainedBpe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdflow tokenizer ...}: tokenizer tools. */
@Command(
        name = "tokenizer",
        mixinStandardHelpOptions = true,
        description = "Tokenizer tools.",
        subcommands = {TokenizerCommand.Train.class})
final class TokenizerCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a byte-level BPE tokenizer on JSONL text and write a Hugging Face tokenizer.json.")
    static final class Train implements Callable<Integer> {

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--input", required = true, split = ",",
                description = "JSONL file(s); every present text field named by --fields is used.")
        List<Path> inputs;

        @Option(names = "--vocab-size", required = true, description = "Vocabulary size, special tokens included.")
        int vocabSize;

        @Option(names = "--output", required = true, description = "Where to write tokenizer.json.")
        Path output;

        @Option(names = "--architecture", defaultValue = "bart",
                description = "Special tokens and template of: bart, t5, gpt2 (default: ${DEFAULT-VALUE}).")
        String architecture;

        @Option(names = "--fields", defaultValue = "source,target", split = ",",
                description = "Text fields to read (default: ${DEFAULT-VALUE}); lines may lack some of them.")
        List<String> fields;

        @Option(names = "--min-frequency", defaultValue = "2",
                description = "Merge only pairs seen at least this often (default: ${DEFAULT-VALUE}).")
        long minFrequency;

        @Override
        public Integer call() {
            List<String> texts = readTexts();
            TrainedBpe trained = new BpeTrainer(TokenizerArchitecture.fromName(architecture), vocabSize, minFrequency)
                    .train(texts.iterator());
            try {
                if (output.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(output.toAbsolutePath().getParent());
                }
                trained.writeTo(output);
            } catch (IOException e) {
                throw new BadInputException("cannot write " + output + ": " + e.getMessage(), e);
            }
            spec.commandLine().getOut().printf("wrote %s: %d tokens (%d requested, stopped: %s), %d merges from %d texts%n",
                    output, trained.vocabSize(), trained.requestedVocabSize(),
                    trained.stopReason().name().toLowerCase(java.util.Locale.ROOT), trained.merges().size(),
                    texts.size());
            return 0;
        }

        private List<String> readTexts() {
            List<String> texts = new ArrayList<>();
            for (Path input : inputs) {
                for (JsonLine line : JsonLinesFile.read(input)) {
                    int before = texts.size();
                    for (String field : fields) {
                        if (line.has(field)) {
                            texts.add(line.string(field));
                        }
                    }
                    if (texts.size() == before) {
                        throw line.missingField(String.join(" or ", fields.stream().map(f -> "\"" + f + "\"").toList()));
                    }
                }
            }
            if (texts.isEmpty()) {
                throw new UserError("no text to train on in " + inputs);
            }
            return texts;
        }
    }
}
