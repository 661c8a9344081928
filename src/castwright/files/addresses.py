"""Which network addresses a server-side fetch may reach: public unicast only.

Anything that can reach the server itself, its private network or a cloud metadata service
(169.254.169.254, fd00:ec2::254, 100.100.100.200) is refused, including IPv6 forms that
carry an IPv4 address inside them.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

__all__ = ["IPAddress", "parse_ip", "refusal"]

IPAddress = IPv4Address | IPv6Address

_CARRIER_GRADE_NAT = ip_network("100.64.0.0/10")
_NAT64 = ip_network("64:ff9b::/96")  # well-known prefix: the low 32 bits are an IPv4 address


def parse_ip(text: str) -> IPAddress | None:
    """An IP address literal (IPv6 with or without brackets), or None for a host name."""
    try:
        return ip_address(text.strip("[]"))
    except ValueError:
        return None


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    if address.ipv4_mapped is not None:  # ::ffff:127.0.0.1
        return address.ipv4_mapped
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFF_FFFF)
    return address.sixtofour  # 2002:0a00:0005:: carries 10.0.0.5; None otherwise


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` is off limits ("a loopback address"), or None when it is public."""
    if isinstance(address, IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return refusal(embedded)
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address in _CARRIER_GRADE_NAT:
        return "a carrier-grade NAT address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:  # before private: Python counts 240.0.0.0/4 as both
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if isinstance(address, IPv6Address) and address.is_site_local:
        return "a site-local address"
    if not address.is_global:
        return "a non-public address"
    return None
