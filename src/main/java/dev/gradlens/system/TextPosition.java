package dev.gradlens.system;

/**
 * A place in a request body as the error reasons give it: line and column from 1, the column
 * counting bytes of the UTF-8 text, as Jackson's byte parser counts them. Shared by the reasons
 * about JSON syntax ({@link JsonSyntaxErrors}) and about the bytes themselves ({@link
 * Utf8JsonText}), so that a client sees one convention whichever check refused the body.
 */
record TextPosition(long line, long column) {

    /**
     * The position of byte {@code offset} of {@code text}. A line ends at LF, CR or CR LF, as
     * Jackson counts them; bytes before the position that start the text (a byte-order mark)
     * count in the column, as they do in Jackson's.
     */
    static TextPosition of(byte[] text, int offset) {
        long line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            byte b = text[i];
            boolean secondOfCrLf = b == '\n' && i > 0 && text[i - 1] == '\r';
            if (b == '\r' || b == '\n') {
                line += secondOfCrLf ? 0 : 1;
                lineStart = i + 1;
            }
        }
        return new TextPosition(line, offset - lineStart + 1);
    }

    /** {@code " at line 3, column 14"}: the words every reason ends its position with. */
    String at() {
        return " at line " + line + ", column " + column;
    }
}
