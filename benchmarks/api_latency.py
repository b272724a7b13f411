"""Latency of the API's main read endpoints on a store of ~10k events.

The store is filled with synthetic Documents built from a few sentence templates (no NLP: the
point is the store and the API, not extraction), then the API is served by uvicorn on loopback
and each endpoint is called sequentially; p50/p99 per endpoint are printed.

    .venv/bin/python benchmarks/api_latency.py [--events 10000] [--requests 200] [--db PATH]
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventwire.model import Actor, ActorRef, Document, Event, Mention, Quote, Span, Timex  # noqa: E402

# (name, kind, country, sector): the parties the synthetic wire reports are about.
PARTIES = [
    ("Russia", "state", "RUS", "GOV"), ("Ukraine", "state", "UKR", "GOV"), ("United States", "state", "USA", "GOV"),
    ("European Union", "igo", "EU", "IGO"), ("Turkey", "state", "TUR", "GOV"), ("China", "state", "CHN", "GOV"),
    ("NATO", "igo", "NATO", "IGO"), ("Israel", "state", "ISR", "GOV"), ("Hamas", "group", "PSE", "REB"),
    ("Iran", "state", "IRN", "GOV"), ("Qatar", "state", "QAT", "GOV"), ("United Nations", "igo", "UN", "IGO"),
]
# (template, PLOVER type, CAMEO, Goldstein, quad class, status, trigger word)
TEMPLATES = [
    ("{a} agreed with {b} to exchange prisoners of war", "AGREE", "057", 8.0, 1, "asserted", "agreed"),
    ("{a} held talks with {b} on a ceasefire", "CONSULT", "040", 1.0, 1, "asserted", "talks"),
    ("{a} accused {b} of violating the truce", "ACCUSE", "112", -2.0, 3, "asserted", "accused"),
    ("{a} shelled positions held by {b}", "ASSAULT", "190", -10.0, 4, "asserted", "shelled"),
    ("{a} imposed new sanctions on {b}", "SANCTION", "163", -8.0, 4, "asserted", "sanctions"),
    ("{a} pledged military aid to {b}", "AID", "070", 7.0, 2, "planned", "pledged"),
    ("{a} threatened to retaliate against {b}", "THREATEN", "130", -4.4, 3, "threatened", "threatened"),
    ("{a} rejected the proposal from {b}", "REJECT", "120", -4.0, 3, "asserted", "rejected"),
    ("{a} demanded that {b} withdraw its troops", "REQUEST", "100", -5.0, 3, "demanded", "demanded"),
    ("{a} will meet {b} in Istanbul", "CONSULT", "043", 2.8, 1, "planned", "meet"),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def synthetic_document(n: int, rng: random.Random, events_per_doc: int, start: date) -> Document:
    """One wire-style report of ``events_per_doc`` sentences, each an event with its spans."""
    published = start + timedelta(days=n % 365)
    text, events, actors, timexes, quotes = "", [], {}, [], []

    def actor_for(name, kind, country, sector):
        if name not in actors:
            actors[name] = Actor(id=f"A{len(actors) + 1}", name=name, kind=kind, country=country, sector=sector)
        return actors[name]

    for i in range(events_per_doc):
        template, ptype, cameo, gold, quad, status, trigger = rng.choice(TEMPLATES)
        a, b = rng.sample(PARTIES, 2)
        day = WEEKDAYS[rng.randrange(7)]
        sentence = template.format(a=a[0], b=b[0]) + f" on {day}, officials said. "
        s0 = len(text)
        text += sentence
        spans = {}
        for who in (a, b):
            at = text.index(who[0], s0 if who is a else s0 + len(a[0]))
            actor = actor_for(*who)
            actor.mentions.append(Mention(at, at + len(who[0]), who[0]))
            spans[who[0]] = actor.mentions[-1]
        t_at = text.index(trigger, s0)
        d_at = text.index(day, s0)
        tid = f"T{len(timexes) + 1}"
        ev_day = (published - timedelta(days=(published.weekday() - WEEKDAYS.index(day)) % 7)).isoformat()
        timexes.append(Timex(tid, d_at, d_at + len(day), day, "DATE", ev_day))
        src, tgt = actors[a[0]], actors[b[0]]
        events.append(Event(
            id=f"E{i + 1}", type=ptype, trigger=Span.of(text, t_at, t_at + len(trigger)),
            sentence=Span.of(text, s0, len(text)), status=status, cameo=cameo, goldstein=gold, quad_class=quad,
            source=ActorRef(src.id, src.name, src.country, src.sector, Span.of(text, spans[a[0]].start, spans[a[0]].end)),
            target=ActorRef(tgt.id, tgt.name, tgt.country, tgt.sector, Span.of(text, spans[b[0]].start, spans[b[0]].end)),
            date=ev_day, timex=tid, confidence=0.9))
    q0 = len(text)
    said = "We want a lasting peace, not a pause"
    text += f"\"{said},\" a spokesman said.\n"
    quotes.append(Quote("Q1", Span.of(text, q0 + 1, q0 + 1 + len(said)), True,
                        cue=Span.of(text, text.index("said", q0 + len(said)), text.index("said", q0 + len(said)) + 4)))
    return Document(text=text, id=f"synthetic-{n}", title=f"Synthetic report {n}",
                    url=f"https://wire.example/{n}", published=published.isoformat(), published_source="input",
                    actors=list(actors.values()), events=events, quotes=quotes, timexes=timexes)


def fill(db: str, n_events: int, events_per_doc: int = 10, seed: int = 7) -> dict:
    from eventwire.store.base import open_store

    rng = random.Random(seed)
    n_docs = max(1, n_events // events_per_doc)
    t0 = time.perf_counter()
    with open_store(db) as store:
        for n in range(n_docs):
            store.add_document(synthetic_document(n, rng, events_per_doc, date(2024, 6, 1)), source="bench")
        t1 = time.perf_counter()
        for name in ("rebuild_stories", "rebuild_positions"):
            try:
                getattr(store, name)()
            except NotImplementedError:
                pass
        t2 = time.perf_counter()
        counts = store.counts()
    print(f"filled {db}: {counts.get('articles')} articles, {counts.get('events')} events "
          f"in {t1 - t0:.1f} s; stories/positions rebuilt in {t2 - t1:.1f} s")
    return counts


class LoopbackServer:
    """``uvicorn --factory eventwire.api:app_from_env`` in a process of its own on a free loopback
    port (a server thread inside the measuring process would share its GIL and skew the figures)."""

    def __init__(self, db: str, workers: int = 1, env: dict | None = None):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.cmd = [sys.executable, "-m", "uvicorn", "--factory", "eventwire.api:app_from_env",
                    "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
                    "--no-access-log", "--workers", str(workers), "--timeout-keep-alive", "30"]
        self.env = {**os.environ, "EVENTWIRE_DB": db, **(env or {})}
        self.proc = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        import subprocess
        import urllib.request

        self.proc = subprocess.Popen(self.cmd, env=self.env, cwd=str(Path(__file__).resolve().parents[1]))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/api/health", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("the server did not start within 60 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except Exception:  # noqa: BLE001 - a server that ignores SIGTERM is killed
                self.proc.kill()
                self.proc.wait()


def store_profile(db: str) -> dict:
    """What the request mix draws its parameters from, read from the store itself: real days,
    the busiest actor names, and how deep the pages go (so a real store is asked real questions)."""
    from eventwire.store.base import open_store

    with open_store(db) as store:
        counts = store.counts()
        days = sorted({r["day"] for r in store.events(limit=2000) if r.get("day")})
        names = [a["name"] for a in store.actors(limit=15)]
    return {"days": days[::max(1, len(days) // 50)], "names": names,
            "events": counts.get("events", 0), "articles": counts.get("articles", 0)}


def endpoints(article_ids: list[str], rng: random.Random, profile: dict | None = None) -> dict:
    """name → function returning the next request path (varied so no cache answers every call)."""
    profile = profile or {}
    days = profile.get("days") or [(date(2024, 6, 1) + timedelta(days=d)).isoformat() for d in range(0, 360, 7)]
    names = profile.get("names") or [p[0] for p in PARTIES]
    deepest_event = max(1, min(5000, profile.get("events", 5100) - 100))
    deepest_article = max(1, min(900, profile.get("articles", 950) - 50))
    words = ["ceasefire", "sanctions", "prisoners", "Istanbul", "troops", "truce", "aid"]
    return {
        "health (no store: the HTTP floor)": lambda: "/api/health",
        "events (page of 100)": lambda: f"/api/events?limit=100&offset={rng.randrange(0, deepest_event)}",
        "events ?actor=": lambda: f"/api/events?actor={quote(rng.choice(names))}&limit=100",
        "events ?type&since&until": lambda: (lambda d: f"/api/events?type={rng.choice(TEMPLATES)[1]}"
                                                       f"&since={d}&until={days[-1]}&limit=100")(rng.choice(days)),
        "events ?q= (full text)": lambda: f"/api/events?q={rng.choice(words)}&limit=100",
        "articles (page of 50)": lambda: f"/api/articles?limit=50&offset={rng.randrange(0, deepest_article)}",
        "article by id": lambda: f"/api/articles/{rng.choice(article_ids)}",
        "search ?q=": lambda: f"/api/search?q={rng.choice(words)}",
        "actors": lambda: "/api/actors",
        "stories (page of 100)": lambda: f"/api/stories?offset={rng.randrange(0, 200)}",
        "positions": lambda: "/api/positions",
        "summary (timeline+network, uncached)": lambda: f"/api/summary?since={rng.choice(days)}",
    }


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000, help="events in the synthetic store (default 10000)")
    ap.add_argument("--requests", type=int, default=200, help="timed requests per endpoint (default 200)")
    ap.add_argument("--db", default=None, help="store to use (filled when empty; default: a temporary SQLite file)")
    args = ap.parse_args(argv)

    import httpx

    from eventwire.store.base import open_store

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "bench.db")
    with open_store(db) as store:
        existing = store.counts().get("events", 0)
    if not existing:
        fill(db, args.events)
    with open_store(db) as store:
        article_ids = [a["id"] for a in store.articles(limit=500)]
    profile = store_profile(db)
    rng = random.Random(11)
    with LoopbackServer(db) as srv, httpx.Client(base_url=srv.base, timeout=30) as client:
        print(f"{args.requests} sequential requests per endpoint; uvicorn (1 worker) on loopback, "
              f"client in another process")
        print(f"{'endpoint':40s} {'p50 ms':>8s} {'p99 ms':>8s} {'mean ms':>8s} {'rows':>6s}")
        for name, make in endpoints(article_ids, rng, profile).items():
            for _ in range(10):  # warm-up
                client.get(make())
            times, rows = [], 0
            for _ in range(args.requests):
                path = make()
                t = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    print(f"  {path}: HTTP {r.status_code} {r.text[:120]}")
                    continue
                body = r.json()
                rows += len(body["items"]) if isinstance(body, dict) and "items" in body else 1
            print(f"{name:40s} {percentile(times, 50):8.2f} {percentile(times, 99):8.2f} "
                  f"{statistics.mean(times):8.2f} {rows / len(times):6.0f}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end of the run")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
