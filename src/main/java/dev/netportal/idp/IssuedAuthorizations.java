package dev.netportal.idp;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.stereotype.Component;

/**
 * The provider's issued authorizations (codes, access and refresh tokens) in memory, as the default, plus an
 * index by user so that {@link DemoDirectory#endSessions} can end all of one user's sign-ins.
 */
@Component
class IssuedAuthorizations implements OAuth2AuthorizationService {

    private final InMemoryOAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();
    private final Map<String, Set<String>> idsByUser = new ConcurrentHashMap<>();

    @Override
    public void save(OAuth2Authorization authorization) {
        delegate.save(authorization);
        idsByUser.computeIfAbsent(authorization.getPrincipalName(), user -> ConcurrentHashMap.newKeySet())
                .add(authorization.getId());
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
        idsByUser.computeIfPresent(authorization.getPrincipalName(), (user, ids) -> {
            ids.remove(authorization.getId());
            return ids.isEmpty() ? null : ids;
        });
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return delegate.findByToken(token, tokenType);
    }

    int removeAllOf(String username) {
        Set<String> ids = idsByUser.remove(username);
        if (ids == null) {
            return 0;
        }
        int removed = 0;
        for (String id : ids) {
            OAuth2Authorization authorization = delegate.findById(id);
            if (authorization != null) {
                delegate.remove(authorization);
                removed++;
            }
        }
        return removed;
    }
}
