package dev.netportal.ui;

import com.vaadin.flow.server.WrappedSession;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends the HTTP session of a person whose session at the provider has ended. {@link UserSession} learns it outside
 * any request, marks the session and sends the open tabs to the signed-out page; the first request that arrives
 * in the marked session (that page, or any other) then finds it gone, before the security filters read it.
 */
final class ProviderSessionEnded extends OncePerRequestFilter {

    private static final String ATTRIBUTE = ProviderSessionEnded.class.getName();

    static void mark(WrappedSession session) {
        session.setAttribute(ATTRIBUTE, Boolean.TRUE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        try {
            if (session != null && session.getAttribute(ATTRIBUTE) != null) {
                session.invalidate();
            }
        } catch (IllegalStateException alreadyInvalidated) {
            // a request of another tab ended it a moment ago
        }
        chain.doFilter(request, response);
    }
}
