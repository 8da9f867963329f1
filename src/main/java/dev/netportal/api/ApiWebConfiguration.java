package dev.netportal.api;

import dev.netportal.firewall.FirewallId;
import dev.netportal.identity.Actor;
import dev.netportal.machine.MachineId;
import dev.netportal.network.NetworkId;
import dev.netportal.sharing.ShareRequestId;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import tools.jackson.databind.json.JsonMapper;

/** WebFlux settings of the API: the {@link Actor} parameter and the OpenAPI description. */
@Configuration(proxyBeanMethods = false)
class ApiWebConfiguration implements WebFluxConfigurer {

    static {
        // the caller is taken from the token, never from the request body or query
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class, IdempotentWrite.class);
        // typed ids are UUIDs on the wire
        for (Class<?> id : List.of(NetworkId.class, MachineId.class, FirewallId.class, ShareRequestId.class)) {
            SpringDocUtils.getConfig().replaceWithClass(id, UUID.class);
        }
    }

    private final ActorArgumentResolver actorArgumentResolver;
    private final Idempotency idempotency;
    private final JsonMapper json;

    ApiWebConfiguration(ActorArgumentResolver actorArgumentResolver, Idempotency idempotency, JsonMapper json) {
        this.actorArgumentResolver = actorArgumentResolver;
        this.idempotency = idempotency;
        this.json = json;
    }

    /** Request bodies are read with the application's JSON settings, refusing text PostgreSQL cannot store. */
    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
        configurer.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(json.rebuild().addModule(NulFreeText.MODULE).build()));
    }

    /** Path segments read as typed ids; a malformed UUID is a bad request, as for a plain UUID. */
    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, NetworkId.class, text -> new NetworkId(UUID.fromString(text)));
        registry.addConverter(String.class, MachineId.class, text -> new MachineId(UUID.fromString(text)));
        registry.addConverter(String.class, FirewallId.class, text -> new FirewallId(UUID.fromString(text)));
        registry.addConverter(String.class, ShareRequestId.class, text -> new ShareRequestId(UUID.fromString(text)));
    }

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(actorArgumentResolver);
        configurer.addCustomResolver(idempotency);
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

    /** Every write that takes an {@link IdempotentWrite} documents the optional {@code Idempotency-Key} header. */
    @Bean
    OperationCustomizer idempotencyKeyHeader() {
        return (operation, handler) -> {
            if (Arrays.stream(handler.getMethodParameters())
                    .anyMatch(p -> p.getParameterType() == IdempotentWrite.class)) {
                operation.addParametersItem(new HeaderParameter()
                        .name(Idempotency.HEADER).required(false)
                        .description("Any unique value (e.g. a UUID). Sending the same write again with the same key "
                                + "answers the first answer instead of doing it twice; kept 24 hours.")
                        .schema(new StringSchema().maxLength(255)));
            }
            return operation;
        };
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
