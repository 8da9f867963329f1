package dev.netportal.firewall;

/** What an agent's hello answers: the token the portal sends with every push, and the revision to run. */
public record AgentWelcome(String pushToken, int desiredRevision) {
}
