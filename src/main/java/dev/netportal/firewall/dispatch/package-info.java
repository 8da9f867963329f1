/** Delivery of the newest revision to each firewall's agent; started by the process modes that run a dispatcher. */
@NamedInterface("dispatch")
package dev.netportal.firewall.dispatch;

import org.springframework.modulith.NamedInterface;
