package dev.netportal;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The non-web parent context: domain modules and the database. The web contexts are its children and see its
 * beans; nothing here knows about them.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = {
        "com.vaadin.flow.spring.SpringBootAutoConfiguration",
        "com.vaadin.flow.spring.SpringSecurityAutoConfiguration",
        "com.vaadin.flow.spring.VaadinScopesConfig"})
@ComponentScan(excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "dev\\.netportal\\.(api|ui|idp)\\..*"))
@ConfigurationPropertiesScan
class CoreContext {

    /** Runs a reactive pipeline in one database transaction; domain services wrap every write in it. */
    @Bean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
        return TransactionalOperator.create(transactions);
    }

    /** The one JVM-wide strategy, chosen before this context starts (see {@link Netportal#start}); security in every context uses it. */
    @Bean
    SecurityContextHolderStrategy securityContextHolderStrategy() {
        return SecurityContextHolder.getContextHolderStrategy();
    }
}
