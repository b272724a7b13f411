"""The dashboard in a real headless Chromium (Debian's), driven by Playwright, against uvicorn on
loopback over a store filled by the real pipeline from our own short texts."""
from __future__ import annotations

import json
import socket
import struct
import threading
import time
import urllib.request
import zlib
from urllib.parse import quote
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the dashboard needs the server extra: pip install -e '.[server]'")
playwright_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip install -e '.[test]')")

from test_api import fill_store  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Every way we know for article text to run script if a page wrote it as HTML.
HOSTILE = {
    "id": "hostile",
    "title": "<img src=x onerror=\"window.__pwned='title';document.title='pwned'\">Russia accuses Ukraine",
    "url": "javascript:window.__pwned='url'",
    "published": "2025-05-22",
    "text": (
        "Russia accused Ukraine on Thursday of shelling a border town, the defence ministry said. "
        "<script>window.__pwned='script';document.title='pwned'</script> "
        "<img src=x onerror=\"window.__pwned='img';document.title='pwned'\"> "
        "<a href=\"javascript:window.__pwned='link'\">details</a> "
        "<svg onload=\"window.__pwned='svg'\"></svg> <iframe srcdoc=\"<script>parent.__pwned='frame'</script>\"></iframe>\n\n"
        "Ukraine rejected the accusation and said Russian forces had attacked the town themselves."
    ),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline):
    """uvicorn serving the app on a free loopback port, in a thread; yields the base URL and ids."""
    url = str(tmp_path_factory.mktemp("dashboard") / "dash.db")
    ids = fill_store(url, pipeline, extra=[HOSTILE])
    for base in serve(url):
        yield {"base": base, "ids": ids}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, pipeline):
    """The bundled demo corpus, ingested as `eventwire demo` does, served on loopback."""
    from importlib import resources

    from eventwire.store.base import open_store
    from eventwire.store.ingest import ingest

    url = str(tmp_path_factory.mktemp("demo") / "demo.db")
    with open_store(url) as store:
        ingest([str(resources.files("eventwire").joinpath("demo/corpus.jsonl"))], store, source="demo",
               pipeline=pipeline)
    yield from serve(url)


def serve(url: str):
    import uvicorn

    from eventwire.api import create_app

    app = create_app(url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium chromium-driver)")
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    p.dialogs, p.errors = [], []
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    yield p
    context.close()


def open_view(page, base: str, fragment: str) -> None:
    page.goto(f"{base}/{fragment}")
    page.wait_for_selector("body[data-ready='1']", timeout=15000)


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and raw rows of an 8-bit RGB/RGBA PNG (stdlib only: zlib and the filters)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i:i + 3]) for r in rows for i in range(0, len(r), bpp)]


def test_overview_renders_the_demo_data(server, page, tmp_path):
    open_view(page, server["base"], "#/")
    assert page.locator("#timeline svg rect.bar").count() >= 3
    assert page.locator("#network svg g.node").count() >= 2
    assert page.locator("#network svg line.edge").count() >= 1
    assert page.locator("#network svg text.label").count() == page.locator("#network svg g.node").count()
    assert page.locator("#event-rows tr.clickable").count() >= 5
    assert "articles" in page.locator("#counts").inner_text()
    shot = tmp_path / "overview.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])
    assert width >= 1000 and height >= 800
    # Non-blank where it matters: the two charts, decoded pixel by pixel (stdlib only).
    for chart in ("#timeline", "#network"):
        png = page.locator(chart).screenshot()
        w, h, pixels = png_pixels(png)
        colours = {}
        for px in pixels[::5]:
            colours[px] = colours.get(px, 0) + 1
        background = max(colours.values()) / sum(colours.values())
        # Bars of several types, edges, labels: many colours, and not one colour everywhere.
        assert len(colours) > 30 and background < 0.99, (chart, w, h, len(colours), background)
    assert not page.errors


def test_timeline_bar_filters_the_event_list(server, page):
    open_view(page, server["base"], "#/")
    bar = page.locator("#timeline svg rect.bar").first
    date, kind = bar.get_attribute("data-date"), bar.get_attribute("data-type")
    bar.click()
    page.locator("#event-filter", has_text="type=").wait_for(timeout=10000)
    rows = page.locator("#event-rows tr.clickable")
    expected = get_json(f"{server['base']}/api/events?type={kind}&since={date}&until={date}&limit=100")["items"]
    assert rows.count() == len(expected) >= 1
    # The bar counts events placed on that day by their own date or, failing a day-precise one,
    # by publication; the store's date filter agrees unless an event's date is a week or month.
    assert rows.count() <= int(bar.get_attribute("data-count"))
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        assert cells.nth(0).inner_text() == date and cells.nth(1).inner_text() == kind


def test_clicking_an_event_highlights_its_evidence(server, page):
    article_id = server["ids"]["shelling"]
    row = get_json(f"{server['base']}/api/articles/{article_id}")
    doc = row["document"] if isinstance(row["document"], dict) else json.loads(row["document"])
    event = doc["events"][0]
    open_view(page, server["base"], f"#/article/{article_id}")
    assert page.locator("#article-text").inner_text().startswith(doc["text"][:40])
    page.locator(f"#fact-events li[data-id='{event['id']}']").click()
    active = page.locator("#article-text .evidence-active")
    assert active.count() >= 1
    highlighted = " ".join(active.all_inner_texts())
    assert event["trigger"]["text"] in highlighted
    # Every highlighted piece lies inside the trigger, an argument's mention or the place.
    allowed = [event["trigger"]] + [event[k]["mention"] for k in ("source", "target")
                                    if event.get(k) and event[k].get("mention")]
    if event.get("location_span"):
        allowed.append(event["location_span"])
    for i in range(active.count()):
        start = int(active.nth(i).get_attribute("data-start"))
        end = int(active.nth(i).get_attribute("data-end"))
        assert any(a["start"] <= start and end <= a["end"] for a in allowed), (start, end)
    evidence = page.locator("#evidence").inner_text()
    assert f"[{event['trigger']['start']}–{event['trigger']['end']}]" in evidence


def test_event_row_opens_its_article_with_the_evidence_lit(server, page):
    open_view(page, server["base"], "#/")
    page.locator("#event-rows tr.clickable").first.click()
    page.wait_for_selector("#article-page:not([hidden]) #article-text .evidence-active", timeout=10000)
    assert page.locator("#fact-events li.active").count() == 1


def test_positions_matrix_shows_stances_with_evidence(server, page):
    rows = get_json(f"{server['base']}/api/positions")["items"]
    open_view(page, server["base"], "#/positions")
    if not rows:
        assert "no positions" in page.locator("#positions").inner_text()
        pytest.skip("the store computed no positions from the fixture articles")
    cells = page.locator("#positions td.clickable")
    assert cells.count() >= 1
    cells.first.click()
    assert page.locator("#position-evidence blockquote").inner_text().strip()


def test_article_payloads_do_not_execute(server, page):
    hostile_id = server["ids"]["hostile"]
    for fragment in ("#/", "#/articles", f"#/article/{hostile_id}", "#/articles?q=accused"):
        open_view(page, server["base"], fragment)
        page.wait_for_timeout(300)
    # Click every fact of the hostile article, so that every rendering path runs.
    open_view(page, server["base"], f"#/article/{hostile_id}")
    facts = page.locator(".facts-list li.clickable")
    for i in range(facts.count()):
        facts.nth(i).click()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "eventwire"
    assert page.dialogs == [] and page.errors == []
    text = page.locator("#article-text")
    assert "<script>" in text.inner_text() and "onerror=" in text.inner_text()   # shown, as text
    assert page.locator("#article-text *:not(span)").count() == 0
    assert page.locator("img, iframe, script:not([src='/static/app.js']):not([src='/static/network.js'])").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.locator("#article-url").get_attribute("href") is None
    assert "<img" in page.locator("#article-title").inner_text()


def test_api_docs_render_offline(server, page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{server['base']}/docs")
    page.locator(".opblock").first.wait_for(timeout=15000)
    assert page.locator(".opblock").count() >= 10
    assert all(u.startswith(server["base"]) for u in requested), [u for u in requested if not u.startswith(server["base"])]


# Every visible network label's box against every other's, and against other actors' circles.
LABEL_OVERLAPS_JS = """() => {
  const visible = (t) => getComputedStyle(t).display !== "none";
  const all = [...document.querySelectorAll("#network svg text.label")];
  const labels = all.filter(visible);
  const boxes = labels.map((t) => t.getBoundingClientRect());
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
                        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const pairs = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
      if (hit(boxes[i], boxes[j])) pairs.push([labels[i].textContent, labels[j].textContent]);
  const circles = [...document.querySelectorAll("#network svg g.node")].map(
    (g) => [g.dataset.actor, g.querySelector("circle").getBoundingClientRect()]);
  const onCircles = [];
  labels.forEach((t, i) => {
    const own = t.parentNode.dataset.actor;
    for (const [actor, c] of circles) if (actor !== own && hit(boxes[i], c)) onCircles.push([t.textContent, actor]);
  });
  return {nodes: circles.length, labels: all.length, visible: labels.length, pairs, onCircles};
}"""


def test_network_labels_do_not_overlap_on_the_demo_store(demo_server, page):
    open_view(page, demo_server, "#/")
    page.wait_for_selector("#network svg g.node", timeout=15000)
    m = page.evaluate(LABEL_OVERLAPS_JS)
    assert m["nodes"] >= 8, m
    # Every actor drawn has its name shown, and no name touches another name or another circle.
    assert m["visible"] == m["labels"] == m["nodes"], m
    assert m["pairs"] == [] and m["onCircles"] == [], m
    assert not page.errors
    # Circle size follows events: the busiest actor's circle is the largest.
    sizes = page.evaluate("""() => [...document.querySelectorAll('#network g.node')].map(
        g => [Number(g.dataset.events), Number(g.querySelector('circle').getAttribute('r'))])""")
    busiest = max(sizes)
    assert all(r <= busiest[1] for _, r in sizes)


def test_network_edge_lists_its_events_with_evidence(demo_server, page):
    open_view(page, demo_server, "#/")
    edge = page.locator("#network svg g.edge-group").first
    source, target = edge.get_attribute("data-source"), edge.get_attribute("data-target")
    count = int(edge.get_attribute("data-count"))
    edge.dispatch_event("click")
    items = page.locator("#network-edge li.edge-event")
    items.first.wait_for(timeout=10000)
    assert items.count() == min(count, 50)
    expected = get_json(f"{demo_server}/api/network/edge?source={quote(source)}&target={quote(target)}")
    assert expected["count"] == count
    for i in range(items.count()):
        mark = items.nth(i).locator(".edge-sentence mark")
        assert mark.count() == 1 and mark.inner_text() == expected["items"][i]["trigger_text"]
    # The article link opens the article with that event's evidence lit.
    items.first.locator("a").click()
    page.wait_for_selector("#article-page:not([hidden]) #article-text .evidence-active", timeout=10000)


def test_network_filters_by_type_and_minimum_weight(demo_server, page):
    open_view(page, demo_server, "#/")
    summary = get_json(f"{demo_server}/api/summary")
    edges = summary["network"]["edges"]
    heaviest = max(e["count"] for e in edges)
    page.fill("#network-form input[name=min_weight]", str(heaviest))
    page.click("#network-form button[type=submit]")
    page.wait_for_function(f"document.querySelectorAll('#network g.edge-group').length > 0 && "
                           f"[...document.querySelectorAll('#network g.edge-group')].every(g => +g.dataset.count >= {heaviest})")
    kind = max(((t, n) for e in edges for t, n in e["types"].items()), key=lambda x: x[1])[0]
    page.fill("#network-form input[name=min_weight]", "1")
    page.select_option("#network-form select[name=type]", kind)
    page.click("#network-form button[type=submit]")
    page.wait_for_selector(f"#network[data-filter*='{kind}']", timeout=10000)
    typed = {(e["source"], e["target"]) for e in get_json(f"{demo_server}/api/summary?type={kind}")["network"]["edges"]}
    drawn = page.locator("#network g.edge-group")
    assert drawn.count() >= 1
    for i in range(drawn.count()):
        assert (drawn.nth(i).get_attribute("data-source"), drawn.nth(i).get_attribute("data-target")) in typed
    assert page.evaluate(LABEL_OVERLAPS_JS)["pairs"] == []


def test_network_filters_by_date(demo_server, page):
    open_view(page, demo_server, "#/")
    days = [d["date"] for d in get_json(f"{demo_server}/api/summary")["timeline"]]
    since, until = days[len(days) // 2], days[-1]
    page.fill("#network-form input[name=since]", since)
    page.fill("#network-form input[name=until]", until)
    page.click("#network-form button[type=submit]")
    page.wait_for_selector(f"#network[data-filter*='{since}']", timeout=10000)
    dated = get_json(f"{demo_server}/api/summary?since={since}&until={until}")["network"]
    everything = get_json(f"{demo_server}/api/summary")["network"]
    drawn = page.locator("#network g.node")
    names = {drawn.nth(i).get_attribute("data-actor") for i in range(drawn.count())}
    # Only actors of the chosen days are drawn, with their counts for those days.
    assert names <= {n["id"] for n in dated["nodes"]}
    counts = {n["id"]: n["events"] for n in dated["nodes"]}
    for i in range(drawn.count()):
        assert int(drawn.nth(i).get_attribute("data-events")) == counts[drawn.nth(i).get_attribute("data-actor")]
    assert sum(n["events"] for n in dated["nodes"]) < sum(n["events"] for n in everything["nodes"])
    assert page.evaluate(LABEL_OVERLAPS_JS)["pairs"] == []
