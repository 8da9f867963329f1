package dev.netportal.ui;

import com.vaadin.flow.server.WrappedSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;

/**
 * Keeps the tokens that sign-in obtained (access and refresh token) in the user's HTTP session, so that they end
 * with it and two sessions of one person never share them. {@link UserSession} reads and replaces them through the
 * Vaadin session, also outside a request, when it refreshes the roles.
 */
final class SessionAuthorizedClients implements OAuth2AuthorizedClientRepository {

    private static final String ATTRIBUTE = SessionAuthorizedClients.class.getName() + ".";

    @Override
    @SuppressWarnings("unchecked")
    public <T extends OAuth2AuthorizedClient> T loadAuthorizedClient(String registrationId, Authentication principal,
            HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : (T) session.getAttribute(ATTRIBUTE + registrationId);
    }

    @Override
    public void saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal,
            HttpServletRequest request, HttpServletResponse response) {
        request.getSession().setAttribute(ATTRIBUTE + client.getClientRegistration().getRegistrationId(), client);
    }

    @Override
    public void removeAuthorizedClient(String registrationId, Authentication principal, HttpServletRequest request,
            HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(ATTRIBUTE + registrationId);
        }
    }

    static Optional<OAuth2AuthorizedClient> load(WrappedSession session, String registrationId) {
        return Optional.ofNullable((OAuth2AuthorizedClient) session.getAttribute(ATTRIBUTE + registrationId));
    }

    static void save(WrappedSession session, OAuth2AuthorizedClient client) {
        session.setAttribute(ATTRIBUTE + client.getClientRegistration().getRegistrationId(), client);
    }
}
