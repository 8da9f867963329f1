package dev.netportal.idp;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Development-only OpenID Connect provider (Spring Authorization Server on its own port) with the demo users, the
 * UI's confidential client and the public {@code netportal-cli} client. Started only with the {@code dev} profile.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ComponentScan
public class IdpContext {
}
