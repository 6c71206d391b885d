package dev.gradlens.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document served at /v3/api-docs and rendered by Swagger UI. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI gradlensOpenApi() {
        return new OpenAPI().info(new Info()
                .title("gradlens API")
                .version("0.1.0")
                .description("Create small Transformers, train them step by step, and read their "
                        + "gradients, parameters and attention maps. Errors are "
                        + "application/problem+json with a `field` and a `reason`."));
    }
}
