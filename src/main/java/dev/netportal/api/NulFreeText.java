package dev.netportal.api;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * PostgreSQL cannot store the NUL character in text: a JSON string or key holding one ({@code "\u0000"}) is
 * refused where the body is read, so the answer names the field ({@link ApiErrors}) and nothing reaches the
 * database.
 */
final class NulFreeText {

    static final String MESSAGE = "must not contain the NUL character (\\u0000)";

    static final SimpleModule MODULE = new SimpleModule("nul-free-text")
            .addDeserializer(String.class, new StdScalarDeserializer<String>(String.class) {
                @Override
                public String deserialize(JsonParser parser, DeserializationContext context) {
                    return checked(StringDeserializer.instance.deserialize(parser, context), parser);
                }
            })
            .addKeyDeserializer(String.class, new KeyDeserializer() {
                @Override
                public Object deserializeKey(String key, DeserializationContext context) {
                    return checked(key, context.getParser());
                }
            });

    private NulFreeText() {
    }

    private static String checked(String text, JsonParser parser) {
        if (text != null && text.indexOf('\0') >= 0) {
            throw InvalidFormatException.from(parser, MESSAGE, text, String.class);
        }
        return text;
    }
}
