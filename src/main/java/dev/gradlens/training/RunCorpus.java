package dev.gradlens.training;

import dev.gradlens.model.LiveModel;
import dev.gradlens.system.ApiException;
import dev.gradlens.text.Corpus;
import dev.gradlens.text.Tokenizer;

/** Encodes a dataset for a run with the model's tokenizer, naming the field at fault. */
final class RunCorpus {

    private RunCorpus() {
    }

    /**
     * @throws ApiException 400 naming datasetId when the model has no tokenizer or the tokenizer
     *     lacks a character of the dataset, naming seqLen when a part of the split is shorter
     *     than one window
     */
    static Corpus of(String text, LiveModel live, RunSpec spec) {
        Tokenizer tokenizer = live.tokenizer();
        if (tokenizer == null) {
            throw ApiException.invalid("datasetId", "model " + live.id() + " has no tokenizer, "
                    + "so it cannot train on text; create it with a char or byte tokenizer");
        }
        int[] ids;
        try {
            ids = tokenizer.encode(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("datasetId", "dataset " + spec.datasetId() + " does not "
                    + "fit the model's " + tokenizer.kind() + " tokenizer: " + e.getMessage());
        }
        if (ids.length < 2) {
            throw ApiException.invalid("datasetId", "dataset " + spec.datasetId()
                    + " has fewer than 2 tokens");
        }
        Corpus corpus = new Corpus(ids);
        int validation = corpus.size() - corpus.splitIndex();
        int shortest = Math.min(corpus.splitIndex(), validation);
        if (shortest < spec.seqLen() + 1) {
            throw ApiException.invalid("seqLen", "windows of seqLen + 1 = " + (spec.seqLen() + 1)
                    + " tokens do not fit the dataset's parts (training " + corpus.splitIndex()
                    + " tokens, validation " + validation + "); use a shorter seqLen or a "
                    + "longer dataset");
        }
        return corpus;
    }
}
