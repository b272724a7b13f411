"""The fetcher refuses to connect into the machine's own network, at every hop.

Every socket these tests open is on loopback (127.0.0.1 and 127.0.0.2, both on the lo device);
addresses elsewhere (10.0.0.1, 169.254.169.254 …) appear only as input to the pure classifier or
as URLs that must be refused before any connection is made.
"""
from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eventwire.cli import main
from eventwire.errors import FetchError
from eventwire.ingest.addresses import AllowedHost, address_problem
from eventwire.ingest.fetch import Fetcher, iter_url
from eventwire.ingest.sources import Failure
from eventwire.pipeline import Article

# -- the classifier, a pure function -----------------------------------------------------------
REFUSED = {
    # IPv4
    "127.0.0.1": "loopback", "127.255.255.254": "loopback", "10.0.0.1": "private",
    "172.16.0.1": "private", "172.31.255.255": "private", "192.168.1.1": "private",
    "169.254.1.1": "link-local", "169.254.169.254": "metadata", "0.0.0.0": "this-network",
    "0.1.2.3": "this-network", "100.64.0.1": "carrier-grade", "100.100.100.200": "metadata",
    "224.0.0.1": "multicast", "255.255.255.255": "reserved", "192.0.2.10": "documentation",
    # IPv6
    "::1": "loopback", "::": "unspecified", "fe80::1": "link-local", "fe80::1%eth0": "link-local",
    "fc00::1": "unique local", "fd12:3456::1": "unique local", "fd00:ec2::254": "metadata",
    "fec0::1": "site-local", "ff02::1": "multicast", "2001:db8::1": "documentation",
    # IPv6 forms that carry an IPv4 address
    "::ffff:127.0.0.1": "loopback", "::ffff:7f00:1": "loopback", "::ffff:10.1.2.3": "private",
    "::ffff:169.254.169.254": "metadata", "64:ff9b::a9fe:a9fe": "metadata", "64:ff9b::7f00:1": "loopback",
    "2002:7f00:1::1": "loopback", "2002:c0a8:101::1": "private", "::127.0.0.1": "loopback",
    "2001:0:4136:e378:8000:63bf:80ff:fffe": "loopback",   # Teredo, client 127.0.0.1 (bits inverted)
}
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255",
          "169.253.255.255", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
          "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address,why", sorted(REFUSED.items()))
def test_classifier_refuses_every_non_public_family(address, why):
    problem = address_problem(address)
    assert problem is not None and why in problem, (address, problem)


@pytest.mark.parametrize("address", PUBLIC)
def test_classifier_lets_public_addresses_through(address):
    assert address_problem(address) is None


def test_allowed_host_syntax():
    assert AllowedHost.parse("127.0.0.1:8080") == AllowedHost("127.0.0.1", 8080)
    assert AllowedHost.parse("[::1]:80") == AllowedHost("::1", 80)
    assert AllowedHost.parse("0::1") == AllowedHost("::1", None)
    assert AllowedHost.parse("News.Intranet.") == AllowedHost("news.intranet", None)
    assert str(AllowedHost.parse("[::1]:80")) == "[::1]:80"
    for bad in ("", ":80", "host:0", "host:99999", "host:x", "[::1", "[::1]x"):
        with pytest.raises(ValueError):
            AllowedHost.parse(bad)


# -- loopback servers ----------------------------------------------------------------------------
class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, port: int = 0, routes=None):
        self.hits: Counter = Counter()
        self.hosts: list[str] = []
        self.routes = routes or {}
        super().__init__((address, port), RecordingHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]


class RecordingHandler(BaseHTTPRequestHandler):
    server: Recorder

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        self.server.hits[path] += 1
        self.server.hosts.append(self.headers.get("Host", ""))
        route = self.server.routes.get(path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, headers, body = route(self.server)
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


PAGE = (b"<!doctype html><html><head><title>Border talks</title></head><body><article><h1>Border talks</h1>"
        b"<p>Negotiators from both countries met on Tuesday to discuss the reopening of two border "
        b"crossings, officials said after the meeting.</p></article></body></html>")


def page(_srv):
    return 200, [("Content-Type", "text/html; charset=utf-8")], PAGE


def redirect(location):
    return lambda srv: (302, [("Location", location.replace("{port}", str(srv.port)))], b"")


def serve(srv: Recorder):
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return srv


@pytest.fixture
def servers():
    """The allowed server on 127.0.0.1, a second one on another loopback port, and a trap on
    127.0.0.2 at the allowed server's port (what a rebinding or redirect attack would reach)."""
    allowed = serve(Recorder("127.0.0.1", routes={"/page": page, "/robots.txt": lambda s: (404, [], b"")}))
    other = serve(Recorder("127.0.0.1", routes={"/secret": page}))
    try:
        trap = serve(Recorder("127.0.0.2", allowed.port, routes={"/page": page, "/secret": page}))
    except OSError as exc:
        pytest.skip(f"cannot bind 127.0.0.2 here ({exc})")
    allowed.routes.update({
        "/to-other-port": redirect(f"http://127.0.0.1:{other.port}/secret"),
        "/to-127-0-0-2": redirect("http://127.0.0.2:{port}/secret"),
        "/to-mapped": redirect(f"http://[::ffff:127.0.0.1]:{other.port}/secret"),
        "/to-page": redirect("/page"),
        "/loop": redirect("/loop"),
    })
    yield allowed, other, trap
    for s in (allowed, other, trap):
        s.shutdown()
        s.server_close()


def fetcher(allowed: Recorder, **kw) -> Fetcher:
    return Fetcher(**{"delay": 0.0, "backoff": 0.01, "timeout": 5.0, "retries": 0,
                      "allow_hosts": [f"127.0.0.1:{allowed.port}"], **kw})


def refused(fn) -> FetchError:
    with pytest.raises(FetchError) as info:
        fn()
    err = info.value
    assert err.code == "E502" and "\n" not in err.one_line(), err.one_line()
    return err


def test_loopback_is_refused_in_every_spelling_without_a_connection(servers):
    allowed, other, trap = servers
    f = Fetcher(delay=0.0, retries=0, timeout=5.0)   # nothing allowed
    for host in ("127.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", "[::ffff:127.0.0.1]", "0.0.0.0", "localhost"):
        err = refused(lambda: f.get(f"http://{host}:{allowed.port}/page"))
        assert "--allow-host" in str(err)
    assert sum(allowed.hits.values()) == 0 and sum(trap.hits.values()) == 0


def test_allowed_host_is_fetched_and_only_on_its_port(servers):
    allowed, other, trap = servers
    f = fetcher(allowed)
    resp = f.get(f"http://127.0.0.1:{allowed.port}/page")
    assert resp.status == 200 and b"Border talks" in resp.body and resp.address == "127.0.0.1"
    refused(lambda: f.get(f"http://127.0.0.1:{other.port}/secret"))
    assert other.hits["/secret"] == 0


def test_each_redirect_is_checked_before_it_is_followed(servers):
    allowed, other, trap = servers
    f = fetcher(allowed)
    base = f"http://127.0.0.1:{allowed.port}"
    assert f.get(base + "/to-page").url == base + "/page"            # an allowed hop is followed
    for path in ("/to-other-port", "/to-127-0-0-2", "/to-mapped"):
        err = refused(lambda: f.get(base + path))
        assert "redirected to" in str(err)
    assert other.hits["/secret"] == 0 and trap.hits["/secret"] == 0
    with pytest.raises(FetchError) as info:
        f.get(base + "/loop")
    assert info.value.code == "E501" and "redirects" in str(info.value)


class FlippingResolver:
    """A DNS that answers the allowed address first and a forbidden one afterwards."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host, port):
        self.calls.append((host, port))
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


def test_rebinding_connects_to_the_checked_address_and_refuses_the_flip(servers):
    allowed, other, trap = servers
    dns = FlippingResolver(["127.0.0.1"], ["127.0.0.2"])
    f = fetcher(allowed, resolver=dns, respect_robots=False)
    url = f"http://news.rebind.test:{allowed.port}/page"
    resp = f.get(url)
    # One lookup for the request, and the connection went to the address that lookup gave, with
    # the name in the Host header: there was no second lookup for the connection to rebind.
    assert resp.status == 200 and resp.address == "127.0.0.1" and len(dns.calls) == 1
    assert allowed.hosts[-1] == f"news.rebind.test:{allowed.port}"
    refused(lambda: f.get(url))          # the name now points at a forbidden address
    assert len(dns.calls) == 2 and sum(trap.hits.values()) == 0


def test_rebinding_between_robots_and_page_is_refused(servers):
    allowed, other, trap = servers
    dns = FlippingResolver(["127.0.0.1"], ["127.0.0.2"])
    f = fetcher(allowed, resolver=dns)
    refused(lambda: f.get(f"http://news.rebind.test:{allowed.port}/page"))
    assert allowed.hits["/robots.txt"] == 1 and allowed.hits["/page"] == 0 and sum(trap.hits.values()) == 0


def test_one_forbidden_address_in_an_answer_refuses_the_host(servers):
    allowed, other, trap = servers
    f = fetcher(allowed, resolver=FlippingResolver(["127.0.0.1", "127.0.0.2"]), respect_robots=False)
    refused(lambda: f.get(f"http://news.mixed.test:{allowed.port}/page"))
    assert sum(allowed.hits.values()) == 0 and sum(trap.hits.values()) == 0


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Good</title><link>http://127.0.0.1:{port}/page</link></item>
<item><title>Redirected</title><link>http://127.0.0.1:{port}/to-127-0-0-2</link></item>
<item><title>Metadata</title><link>http://169.254.169.254/latest/meta-data/</link></item>
<item><title>Private</title><link>http://10.0.0.1/story.html</link></item>
</channel></rss>"""


def test_a_feed_goes_on_past_refused_entries(servers):
    allowed, other, trap = servers
    allowed.routes["/feed.xml"] = lambda s: (200, [("Content-Type", "application/rss+xml")],
                                             FEED.format(port=s.port).encode())
    got = list(iter_url(f"http://127.0.0.1:{allowed.port}/feed.xml", fetcher=fetcher(allowed)))
    assert isinstance(got[0], Article) and got[0].title == "Good"
    assert [g.error.code for g in got[1:]] == ["E502", "E502", "E502"]
    assert all(isinstance(g, Failure) for g in got[1:]) and sum(trap.hits.values()) == 0


def test_ingest_command_reports_each_refusal_on_one_line_and_goes_on(servers, tmp_path, capsys):
    allowed, other, trap = servers
    base = f"http://127.0.0.1:{allowed.port}"
    code = main(["ingest", f"{base}/to-127-0-0-2", f"http://127.0.0.1:{other.port}/secret", f"{base}/page",
                 "--db", str(tmp_path / "x.db"), "--allow-host", f"127.0.0.1:{allowed.port}",
                 "--delay", "0", "--retries", "0", "--published", "2025-06-10", "--no-rebuild"])
    out, err = capsys.readouterr()
    assert code == 3 and "added 1 articles" in out
    refusals = [line for line in err.splitlines() if "E502" in line]
    assert len(refusals) == 2 and "Traceback" not in err
    assert trap.hits["/secret"] == 0 and other.hits["/secret"] == 0


def test_ingest_command_refuses_a_bad_allow_host(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "http://127.0.0.1:1/", "--db", str(tmp_path / "x.db"), "--allow-host", "host:99999"])


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a test certificate")
def test_https_connects_to_the_checked_address_and_verifies_the_name(tmp_path):
    """TLS to the pinned address still sends the name (SNI) and checks the certificate against it."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=news.tls.test", "-addext", "subjectAltName=DNS:news.tls.test"],
                   check=True, capture_output=True)
    srv = Recorder("127.0.0.1", routes={"/page": page})
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(str(cert), str(key))
    seen_sni: list = []
    server_ctx.sni_callback = lambda sock, name, ctx: seen_sni.append(name)
    srv.socket = server_ctx.wrap_socket(srv.socket, server_side=True)
    serve(srv)
    try:
        client_ctx = ssl.create_default_context(cafile=str(cert))
        dns = FlippingResolver(["127.0.0.1"])
        f = Fetcher(delay=0.0, retries=0, timeout=5.0, respect_robots=False, resolver=dns, verify=client_ctx,
                    allow_hosts=[f"127.0.0.1:{srv.port}"])
        resp = f.get(f"https://news.tls.test:{srv.port}/page")
        assert resp.status == 200 and seen_sni == ["news.tls.test"] and len(dns.calls) == 1
        # The same certificate does not pass for another name on the same address.
        other = Fetcher(delay=0.0, retries=0, timeout=5.0, respect_robots=False, verify=client_ctx,
                        resolver=FlippingResolver(["127.0.0.1"]), allow_hosts=[f"127.0.0.1:{srv.port}"])
        with pytest.raises(FetchError) as info:
            other.get(f"https://impostor.tls.test:{srv.port}/page")
        assert info.value.code == "E501"
    finally:
        srv.shutdown()
        srv.server_close()


def test_an_internationalised_name_is_resolved_and_checked_in_its_idna_form():
    dns = FlippingResolver(["127.0.0.1"])
    f = Fetcher(delay=0.0, retries=0, timeout=5.0, resolver=dns)
    err = refused(lambda: f.get("http://bücher.example/page"))
    assert dns.calls == [("xn--bcher-kva.example", 80)] and "xn--bcher-kva.example:80" in str(err)
