package dev.netportal.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How roles are read from tokens ({@code netportal.identity.*}).
 *
 * @param roleClaim  the claim that lists the caller's groups
 * @param adminGroup the group that makes a platform admin
 */
@ConfigurationProperties("netportal.identity")
public record IdentitySettings(@DefaultValue("groups") String roleClaim,
                               @DefaultValue("netportal-admin") String adminGroup) {
}
