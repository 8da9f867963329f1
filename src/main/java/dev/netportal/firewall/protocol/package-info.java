/** What the portal and a firewall's agent say to each other: deliveries and answers. The agent depends on nothing else of the portal. */
@NamedInterface("protocol")
package dev.netportal.firewall.protocol;

import org.springframework.modulith.NamedInterface;
