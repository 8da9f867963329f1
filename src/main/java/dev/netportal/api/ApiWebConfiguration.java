package dev.netportal.api;

import dev.netportal.identity.Actor;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** WebFlux settings of the API: the {@link Actor} parameter and the OpenAPI description. */
@Configuration(proxyBeanMethods = false)
class ApiWebConfiguration implements WebFluxConfigurer {

    static {
        // the caller is taken from the token, never from the request body or query
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class);
    }

    private final ActorArgumentResolver actorArgumentResolver;

    ApiWebConfiguration(ActorArgumentResolver actorArgumentResolver) {
        this.actorArgumentResolver = actorArgumentResolver;
    }

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(actorArgumentResolver);
    }

    /**
     * Event loops of this context's own, not Reactor Netty's JVM-wide ones: closing one API context (a test's
     * second instance, say) must not stop another's server.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        return resources;
    }

    @Bean
    OpenAPI netportalOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Netportal API").version("v1")
                        .description("Self-service networks of a bare-metal cloud. Errors are RFC 9457 problem details."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
