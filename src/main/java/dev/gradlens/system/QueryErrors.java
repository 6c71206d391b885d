package dev.gradlens.system;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.apache.tomcat.util.http.InvalidParameterException;

/**
 * Turns Tomcat's refusal of a query string it cannot decode into an {@link ApiException} naming
 * the parameter at fault. Tomcat's exception does not carry the name (its message may be
 * localized and quotes the name garbled), so the raw query is decoded here pair by pair.
 */
final class QueryErrors {

    private QueryErrors() {
    }

    /** 400 naming the first parameter that is not percent-encoded UTF-8, else {@code query}. */
    static ApiException describe(InvalidParameterException error, String query) {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (decode(pair) == null) {
                String name = decode(pair.split("=", 2)[0]);
                return ApiException.invalid(name == null || name.isEmpty() ? "query" : name,
                        "is not valid percent-encoded UTF-8");
            }
        }
        return ApiException.invalid("query", "cannot be read: " + error.getMessage());
    }

    /** The text of {@code raw}, or null when an escape is malformed or the bytes are not UTF-8. */
    private static String decode(String raw) {
        try {
            // Latin-1 maps each escaped byte to one char, so the bytes come back unchanged
            byte[] bytes = URLDecoder.decode(raw, StandardCharsets.ISO_8859_1)
                    .getBytes(StandardCharsets.ISO_8859_1);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }
}
