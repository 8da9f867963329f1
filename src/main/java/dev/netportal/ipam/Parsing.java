package dev.netportal.ipam;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * How addresses and prefixes are read from people and scripts: the usual notations only. No IPv6 zone
 * ({@code fe80::1%eth0}: the database has no such value), no IPv4 with leading zeros ({@code 10.0.0.010}, which
 * some tools read as octal and others as decimal), no shortened IPv4 ({@code 10.1}) and no empty or wildcard text.
 */
final class Parsing {

    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowSingleSegment(false).allowAll(false)
            .getIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false).getParentBuilder()
            .getIPv6AddressParametersBuilder().allowZone(false).getParentBuilder()
            .toParams();

    private Parsing() {
    }

    /** The address or prefix the text names, or null when it is not one in a usual notation. */
    static IPAddress parse(String text) {
        return text == null ? null : new IPAddressString(text.strip(), STRICT).getAddress();
    }
}
