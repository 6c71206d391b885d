package dev.gradlens.system;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.bean.BeanDeserializerBase;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Two corrections to how Jackson reads request bodies, so that {@link JsonErrors} can name the
 * field at fault.
 *
 * <ul>
 * <li>An array where a string belongs is refused at that array. Jackson's own reader of string
 *     lists takes the first element of a nested array as the string ({@code [["a"]]} reads as
 *     {@code ["a"]}), which leaves the rest of the body out of step and ends in a misleading
 *     error about content after the end of the body. With a string reader of our own, lists of
 *     strings read each element through it.</li>
 * <li>A parser limit passed inside an object or array (a number of more than 1000 digits) is
 *     reported with the parser attached, so its position and the field being read are known;
 *     Jackson raises these without either.</li>
 * </ul>
 */
final class StrictJsonInput {

    private StrictJsonInput() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("gradlens-strict-input");
        module.addDeserializer(String.class, new NoArrayStringDeserializer());
        module.setDeserializerModifier(new LocateLimits());
        return module;
    }

    /** Reads a string as Jackson does, except that an array is refused (not unwrapped). */
    static final class NoArrayStringDeserializer extends StdScalarDeserializer<String> {

        NoArrayStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.hasToken(JsonToken.START_ARRAY)) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            return StringDeserializer.instance.deserialize(p, ctxt);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        @Override
        public Object getEmptyValue(DeserializationContext ctxt) {
            return "";
        }
    }

    /** A parser limit passed while an object was read, with the parser that read it. */
    static final class LocatedLimitException extends StreamConstraintsException {

        private static final long serialVersionUID = 1L;

        LocatedLimitException(JsonParser parser, StreamConstraintsException limit) {
            super(limit.getOriginalMessage(), parser.currentTokenLocation());
            _processor = parser;
            addSuppressed(limit);
        }
    }

    /** Wraps the reader of every object type so that limits passed inside are located. */
    private static final class LocateLimits extends ValueDeserializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                BeanDescription.Supplier beanDescRef, ValueDeserializer<?> deserializer) {
            return deserializer instanceof BeanDeserializerBase
                    ? new LimitLocatingDeserializer(deserializer) : deserializer;
        }
    }

    private static final class LimitLocatingDeserializer extends DelegatingDeserializer {

        LimitLocatingDeserializer(ValueDeserializer<?> delegatee) {
            super(delegatee);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegatee) {
            return new LimitLocatingDeserializer(delegatee);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            try {
                return super.deserialize(p, ctxt);
            } catch (StreamConstraintsException limit) {
                throw located(p, limit);
            }
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt, Object intoValue) {
            try {
                return super.deserialize(p, ctxt, intoValue);
            } catch (StreamConstraintsException limit) {
                throw located(p, limit);
            }
        }

        /** The innermost object read attaches the parser; the enclosing ones pass it on. */
        private static JacksonException located(JsonParser p, StreamConstraintsException limit) {
            return limit.processor() != null ? limit : new LocatedLimitException(p, limit);
        }
    }
}
