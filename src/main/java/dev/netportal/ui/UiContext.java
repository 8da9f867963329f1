package dev.netportal.ui;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The Vaadin UI: a servlet child of the core context; users sign in through OpenID Connect. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ComponentScan
public class UiContext {
}
