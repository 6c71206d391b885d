package dev.gradlens.system;

import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses a required JSON body that is the literal {@code null}. Jackson reads it as no object at
 * all, and Spring would then answer as for a missing body; the client did send one, so the reason
 * says what it was.
 */
@ControllerAdvice
class JsonNullBodyAdvice extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        RequestBody annotation = parameter.getParameterAnnotation(RequestBody.class);
        return (annotation == null || annotation.required())
                && AbstractJacksonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    /** {@code body} is null (though not declared so) when the JSON read was {@code null}. */
    @Override
    public Object afterBodyRead(Object body, HttpInputMessage inputMessage,
            MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        if (body == null) {
            String expected = JsonErrors.expectedOf(parameter.getParameterType());
            throw ApiException.invalid("body", "the request body is JSON null; expected "
                    + (expected == null ? "a JSON value" : expected));
        }
        return body;
    }
}
