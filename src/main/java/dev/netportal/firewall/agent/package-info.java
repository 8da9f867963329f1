/** The firewall agent (NETPORTAL_MODE=agent): validates, applies or records revisions; no Spring context, no database. */
@NamedInterface("agent")
package dev.netportal.firewall.agent;

import org.springframework.modulith.NamedInterface;
