"""Which network addresses a fetch may connect to, and which hosts an operator allowed on purpose.

A server that fetches URLs given by others (feeds, API clients, redirects chosen by remote sites)
must not be turned into a way into its own network. ``address_problem`` names what is wrong with
an address that is not on the public internet — loopback, private, link-local (where cloud
metadata services live), unique-local, unspecified, multicast, reserved — looking inside the
IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo), since
``::ffff:127.0.0.1`` reaches the same socket as ``127.0.0.1``. It is a pure function: it never
resolves or connects.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Union

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]

# Cloud metadata endpoints by address (AWS/GCP/Azure/OpenStack, AWS's IPv6 one, ECS task
# credentials, Alibaba): named in the refusal so an operator sees what was at stake.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"))

_V4_RULES: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "this-network (0.0.0.0/8)"),
    ("127.0.0.0/8", "loopback"),
    ("10.0.0.0/8", "private"),
    ("172.16.0.0/12", "private"),
    ("192.168.0.0/16", "private"),
    ("169.254.0.0/16", "link-local"),
    ("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("198.18.0.0/15", "benchmarking"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
)
_V6_RULES: tuple[tuple[str, str], ...] = (
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local (deprecated)"),
    ("fc00::/7", "unique local (ULA)"),
    ("ff00::/8", "multicast"),
    ("2001:db8::/32", "documentation"),
    ("100::/64", "discard-only"),
)
_V4_NETS = tuple((ipaddress.ip_network(n), why) for n, why in _V4_RULES)
_V6_NETS = tuple((ipaddress.ip_network(n), why) for n, why in _V6_RULES)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_V4_COMPATIBLE = ipaddress.ip_network("::/96")


def parse_address(value: Union[str, IPAddress]) -> IPAddress:
    """An address from text as getaddrinfo gives it (an IPv6 zone such as ``%eth0`` dropped)."""
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return value
    return ipaddress.ip_address(str(value).strip("[]").split("%", 1)[0])


def embedded_ipv4(ip: ipaddress.IPv6Address) -> Optional[ipaddress.IPv4Address]:
    """The IPv4 address an IPv6 address stands for, when it is one of the forms that carry one."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _V4_COMPATIBLE and int(ip) > 1:    # ::a.b.c.d (deprecated, still routed by some stacks)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(value: Union[str, IPAddress]) -> Optional[str]:
    """None when a fetch may connect to this address; otherwise why not, in a few words."""
    ip = parse_address(value)
    if ip in METADATA:
        return "cloud metadata service"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            why = address_problem(inner)
            return f"{why}, as {inner} inside IPv6" if why else None
        if ip in _NAT64_LOCAL:
            return "local-use NAT64"
        for net, why in _V6_NETS:
            if ip in net:
                return why
    else:
        for net, why in _V4_NETS:
            if ip in net:
                return why
    if not ip.is_global:   # whatever the tables above miss, the standard library's registry knows
        return "not globally routable"
    return None


# -- hosts allowed on purpose ---------------------------------------------------------------------
@dataclass(frozen=True)
class AllowedHost:
    """``HOST`` or ``HOST:PORT`` (IPv6 in brackets): a name as written in URLs, or an address."""

    host: str
    port: Optional[int] = None

    @classmethod
    def parse(cls, text: str) -> "AllowedHost":
        text = text.strip()
        if not text:
            raise ValueError("empty host")
        if text.startswith("["):
            end = text.find("]")
            if end < 0:
                raise ValueError(f"unclosed '[' in {text!r}")
            host, rest = text[1:end], text[end + 1:]
            if rest and not rest.startswith(":"):
                raise ValueError(f"unexpected {rest!r} after the address in {text!r}")
            port = rest[1:] if rest else None
        elif text.count(":") == 1:
            host, port = text.split(":")
        else:
            host, port = text, None    # a bare name, IPv4 or unbracketed IPv6 address
        if not host:
            raise ValueError(f"no host in {text!r}")
        if port is not None:
            if not port.isdigit() or not 0 < int(port) < 65536:
                raise ValueError(f"bad port in {text!r}")
            port = int(port)
        try:
            host = str(parse_address(host))   # one spelling per address ("::1", not "0::1")
        except ValueError:
            host = host.lower().rstrip(".")
        return cls(host, port)

    def matches(self, host: str, port: int, address: Optional[IPAddress] = None) -> bool:
        if self.port is not None and self.port != port:
            return False
        return self.host == host.lower().rstrip(".") or (address is not None and self.host == str(address))

    def __str__(self) -> str:
        h = f"[{self.host}]" if ":" in self.host else self.host
        return f"{h}:{self.port}" if self.port is not None else h


def parse_allowed(values: Iterable[Union[str, AllowedHost]]) -> tuple[AllowedHost, ...]:
    return tuple(v if isinstance(v, AllowedHost) else AllowedHost.parse(v) for v in values or ())


def is_allowed(allowed: Iterable[AllowedHost], host: str, port: int, address: Optional[IPAddress]) -> bool:
    return any(a.matches(host, port, address) for a in allowed)


# -- resolving --------------------------------------------------------------------------------------
Resolver = Callable[[str, int], list]


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, IPv4 first, each once (getaddrinfo order otherwise)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    seen: list[str] = []
    for family in (socket.AF_INET, socket.AF_INET6):
        for info in infos:
            if info[0] == family and info[4][0] not in seen:
                seen.append(info[4][0])
    return seen
