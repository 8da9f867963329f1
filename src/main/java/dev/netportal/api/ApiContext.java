package dev.netportal.api;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The REST API: a reactive (WebFlux, Netty) child of the core context, serving {@code /api/v1} as an OAuth2
 * resource server, with health and the OpenAPI document.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ComponentScan
@EnableScheduling
public class ApiContext {
}
