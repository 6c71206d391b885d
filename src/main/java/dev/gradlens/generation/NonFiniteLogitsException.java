package dev.gradlens.generation;

/** The model gave a NaN or infinite logit: its weights have diverged, the request is fine. */
public final class NonFiniteLogitsException extends IllegalStateException {

    private final double logit;
    private final int token;

    NonFiniteLogitsException(double logit, int token) {
        super("the model gave logit " + logit + " for token " + token);
        this.logit = logit;
        this.token = token;
    }

    /** The first logit that is not finite. */
    public double logit() {
        return logit;
    }

    /** The token id of that logit. */
    public int token() {
        return token;
    }
}
