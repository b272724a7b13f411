"""The actor knowledge base: states, seats of power, organisations, armed groups, people.

The facts live in ``eventwire/data/actors/`` (written by the project, checked by
``tests/test_kb.py``):

    countries.csv        every UN member and observer state (+ Taiwan, Kosovo, Hong Kong): ISO3, name,
                         aliases, adjectives/demonyms, seats (capitals and seats of power, read as
                         metonyms for the government: "Moscow", "the Kremlin", "Downing Street")
    organisations.yaml   IGOs and their bodies, national institutions, parties, armed and
                         non-state groups, breakaway states: id, name, aliases, kind, country, sector
    people.csv           one row per role a person held: name, aliases, gender, country, role,
                         sector, start, end (ISO dates; empty end = still in office), leader (1 when
                         the role is the country's top executive, so "the Russian leader" finds it)
    places.csv           regions and cities that are not states (name, country): never actors
                         themselves, they place the words around them ("Odesa port authorities")
    peoples.csv          peoples and ethnic groups ("Tamil", "Chechen") → a country, used the
                         same way ("Tamil refugees" → LKA)
    agents.csv           agent words → sector ("troops" → MIL, "spokesman" → GOV, title=1 when the
                         word stands before a name as a title)

Your own actors
---------------
Set ``EVENTWIRE_ACTORS`` to the path of a YAML file (several paths: separated by ``os.pathsep``)
with a list of entries; they are added to (and, with the same id, replace) the built-in ones::

    - id: my_ngo                      # optional; defaults to the name
      name: Friends of the Valley
      aliases: [FoV]
      kind: organisation              # person | organisation | state | igo | group
      country: KEN
      sector: NGO
    - name: Jane Roe
      kind: person
      gender: f
      roles:
        - {role: governor, country: KEN, sector: GOV, start: 2022-08-25, end: null, leader: false}

A malformed file raises ``KnowledgeBaseError`` (E401) naming the file and the problem.

Loading parses the files once per process (``load_kb()`` is cached) and keeps a pickled copy in
the user cache directory keyed on the files' paths, sizes and modification times, so a start-up
after the first one only unpickles.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

import yaml

from ..errors import KnowledgeBaseError

USER_ENV = "EVENTWIRE_ACTORS"
CACHE_ENV = "EVENTWIRE_CACHE"  # where the pickled KB goes (default: ~/.cache/eventwire)
KINDS = ("person", "organisation", "state", "igo", "group")
SECTOR_RX = re.compile(r"^[A-Z]{3}$")
DATE_RX = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATA_FILES = ("countries.csv", "organisations.yaml", "people.csv", "agents.csv", "places.csv", "peoples.csv")
_FORMAT = 6  # bump when the pickled structure changes


@dataclass(frozen=True)
class Role:
    title: str
    country: Optional[str]
    sector: Optional[str]
    start: Optional[str] = None
    end: Optional[str] = None
    leader: bool = False

    def holds(self, date: Optional[str]) -> bool:
        if date is None:
            return self.end is None
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)


@dataclass
class Entry:
    """One actor the knowledge base knows."""

    id: str
    name: str
    kind: str
    country: Optional[str] = None
    sector: Optional[str] = None
    aliases: tuple = ()
    gender: Optional[str] = None
    roles: list = field(default_factory=list)   # list[Role], people only
    adjectives: tuple = ()                      # states only
    seats: tuple = ()                           # states only
    status: Optional[str] = None                # states only: member / observer / partial / territory (own ISO code, e.g. HKG)

    def role_at(self, date: Optional[str]) -> Optional[Role]:
        """The role held at ``date`` (the latest one held then, else the most recent before it)."""
        if not self.roles:
            return None
        held = [r for r in self.roles if r.holds(date)]
        if held:
            return max(held, key=lambda r: (r.leader, r.start or ""))
        if date is None:
            return max(self.roles, key=lambda r: r.start or "")
        before = [r for r in self.roles if (r.start or "") <= date]
        return max(before, key=lambda r: r.end or "") if before else min(self.roles, key=lambda r: r.start or "")

    def former_at(self, date: Optional[str]) -> bool:
        """True when every role ended before ``date`` (a former official: CAMEO's ELI)."""
        if not self.roles or date is None:
            return False
        return all(r.end is not None and r.end <= date for r in self.roles)


@dataclass
class KnowledgeBase:
    entries: dict = field(default_factory=dict)        # id → Entry
    names: dict = field(default_factory=dict)          # surface form → [(id, how)]
    upper: dict = field(default_factory=dict)          # UPPER-CASE form → [(id, how)] (datelines)
    adjectives: dict = field(default_factory=dict)     # adjective → ISO3
    agents: dict = field(default_factory=dict)         # lower-case words → sector
    titles: set = field(default_factory=set)           # agent words that are titles
    places: dict = field(default_factory=dict)         # place name → ISO3 (or None)
    first_words: set = field(default_factory=set)      # the first token of every surface form
    agent_first: set = field(default_factory=set)      # the first word of every agent term
    max_words: int = 1
    sources: tuple = ()

    # -- look-ups ----------------------------------------------------------------------------
    def lookup(self, surface: str) -> list[tuple[str, str]]:
        """[(entry id, how)] for a surface form as written ("Kremlin", "Russian", "TEHRAN")."""
        key = normalise(surface)
        found = self.names.get(key)
        if found:
            return found
        if key.isupper() and len(key) > 3:
            return self.upper.get(key, [])
        return []

    def state(self, iso3: Optional[str]) -> Optional[Entry]:
        return self.entries.get(f"state:{iso3}") if iso3 else None

    def holder(self, country: str, title: str, date: Optional[str]) -> Optional[Entry]:
        """The person holding ``title`` ("president", or "leader" for the top executive) in
        ``country`` at ``date``."""
        best = None
        for e in self._people_of(country):
            for r in e.roles:
                if r.country != country or not r.holds(date):
                    continue
                if (title == "leader" and r.leader) or r.title.lower() == title:
                    if best is None or (r.start or "") > best[1]:
                        best = (e, r.start or "")
        return best[0] if best else None

    def _people_of(self, country: str) -> Iterable[Entry]:
        return (e for e in self.entries.values() if e.kind == "person"
                and any(r.country == country for r in e.roles))

    def place(self, surface: str) -> tuple[bool, Optional[str]]:
        """(is a known place, its country)."""
        key = normalise(surface)
        if key in self.places:
            return True, self.places[key]
        if key.isupper() and key.title() in self.places:
            return True, self.places[key.title()]
        return False, None

    def sector_of(self, words: str) -> Optional[str]:
        return self.agents.get(words.lower())


def normalise(text: str) -> str:
    """The key a surface form is looked up by: curly apostrophes straightened, spaces squeezed."""
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


# -- loading ---------------------------------------------------------------------------------
def _data_dir() -> Path:
    return Path(str(resources.files("eventwire") / "data" / "actors"))


def _user_paths() -> list[Path]:
    raw = os.environ.get(USER_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def _cache_path(paths: list[Path]) -> Optional[Path]:
    sig = hashlib.sha1(str(_FORMAT).encode())
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            return None
        sig.update(f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    base = Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "eventwire")
    return base / f"actors-{sig.hexdigest()[:16]}.pickle"


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The knowledge base (built-in data plus ``EVENTWIRE_ACTORS`` files), loaded once."""
    users = _user_paths()
    for p in users:
        if not p.is_file():
            raise KnowledgeBaseError.e("E401", path=str(p), reason=f"no such file (from ${USER_ENV})")
    paths = [_data_dir() / f for f in DATA_FILES] + users
    cache = _cache_path(paths)
    if cache is not None and cache.is_file():
        try:
            with cache.open("rb") as fh:
                kb = pickle.load(fh)
            if isinstance(kb, KnowledgeBase):
                return kb
        except Exception:  # noqa: BLE001 - a broken cache is rebuilt, never fatal
            pass
    kb = build_kb(users)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass  # read-only home: parse every time, still correct
    return kb


def build_kb(user_paths: Iterable[Path] = ()) -> KnowledgeBase:
    """Parse the data files (no cache)."""
    d = _data_dir()
    kb = KnowledgeBase()
    entries: list[Entry] = []
    entries += _read_countries(d / "countries.csv")
    entries += _read_entries(d / "organisations.yaml")
    entries += _read_people(d / "people.csv")
    for p in user_paths:
        entries += _read_entries(p)
    for e in entries:
        if e.id in kb.entries and e.kind == "person" and kb.entries[e.id].kind == "person":
            old = kb.entries[e.id]
            old.roles.extend(e.roles)
            old.aliases = tuple(dict.fromkeys(old.aliases + e.aliases))
            old.gender = old.gender or e.gender
            continue
        kb.entries[e.id] = e
    _index(kb)
    kb.agents, kb.titles = _read_agents(d / "agents.csv")
    kb.agent_first = {t.split()[0] for t in kb.agents}
    for fname in ("places.csv", "peoples.csv"):
        for i, r in enumerate(_rows(d / fname), 2):
            name = normalise(r.get("name") or "")
            if not name:
                raise KnowledgeBaseError.e("E401", path=str(d / fname), reason=f"row {i}: empty name")
            kb.places[name] = (r.get("country") or "").strip() or None
    # The first token of each surface form (as spaCy would split it, roughly: at spaces,
    # hyphens and apostrophes), in its case and upper case, so the scan skips other tokens fast.
    for key in list(kb.names) + list(kb.places):
        head = re.split(r"[\s\-'’]", key, maxsplit=1)[0] or key
        for form in (head, head.upper(), key.split()[0]):
            kb.first_words.add(form)
            kb.first_words.add(form.upper())
        if key.endswith(("n", "i", "e", "h", "s", "c")):  # plural demonyms: "Russians"
            kb.first_words.add(key.split()[0] + "s")
    kb.sources = tuple(str(p) for p in user_paths)
    return kb


def _index(kb: KnowledgeBase) -> None:
    def add(surface: str, eid: str, how: str) -> None:
        key = normalise(surface)
        if not key:
            return
        lst = kb.names.setdefault(key, [])
        if (eid, how) not in lst:
            lst.append((eid, how))
        if not key.isupper():
            ulst = kb.upper.setdefault(key.upper(), [])
            if (eid, how) not in ulst:
                ulst.append((eid, how))
        kb.max_words = max(kb.max_words, len(key.split()) + key.count("'") + key.count("-") * 2)

    for e in kb.entries.values():
        add(e.name, e.id, "name")
        for a in e.aliases:
            add(a, e.id, "name")
        for a in e.adjectives:
            add(a, e.id, "adjective")
            kb.adjectives.setdefault(normalise(a), e.country)
        for s in e.seats:
            add(s, e.id, "metonym")
        if e.kind == "person":
            # A bare surname is an alias only when written in the data; full names always are.
            pass
    # Built-in entries come first in each list; a user entry with the same surface form but a
    # different id is put first so that users can override.


def _split(cell: Optional[str]) -> tuple:
    return tuple(x.strip() for x in (cell or "").split("|") if x.strip())


def _rows(path: Path) -> list[dict]:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=exc.strerror or str(exc)) from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _read_countries(path: Path) -> list[Entry]:
    out = []
    for i, r in enumerate(_rows(path), 2):
        iso3 = (r.get("iso3") or "").strip()
        if not re.fullmatch(r"[A-Z]{3}", iso3) or not r.get("name"):
            raise KnowledgeBaseError.e("E401", path=str(path), reason=f"row {i}: needs iso3 and name")
        out.append(Entry(id=f"state:{iso3}", name=r["name"].strip(), kind="state", country=iso3,
                         aliases=_split(r.get("aliases")), adjectives=_split(r.get("adjectives")),
                         seats=_split(r.get("seats")), status=(r.get("status") or "").strip() or None))
    return out


def _read_people(path: Path) -> list[Entry]:
    people: dict[str, Entry] = {}
    for i, r in enumerate(_rows(path), 2):
        name = (r.get("name") or "").strip()
        if not name:
            raise KnowledgeBaseError.e("E401", path=str(path), reason=f"row {i}: empty name")
        role = _role({k: r.get(k) for k in ("role", "country", "sector", "start", "end", "leader")},
                     path, f"row {i}")
        pid = person_id(name)
        e = people.get(pid)
        if e is None:
            e = people[pid] = Entry(id=pid, name=name, kind="person", gender=(r.get("gender") or None))
        e.aliases = tuple(dict.fromkeys(e.aliases + _split(r.get("aliases"))))
        e.roles.append(role)
    for e in people.values():
        latest = e.role_at(None)
        e.country, e.sector = latest.country, latest.sector
    return list(people.values())


def person_id(name: str) -> str:
    return "person:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _role(r: dict, path: Path, where: str) -> Role:
    def date(v):
        v = (str(v).strip() if v is not None else "")
        if not v or v.lower() in ("none", "null"):
            return None
        if not DATE_RX.match(v):
            raise KnowledgeBaseError.e("E401", path=str(path), reason=f"{where}: bad date {v!r} (use YYYY-MM-DD)")
        return v

    sector = (r.get("sector") or "").strip() or None
    if sector and not SECTOR_RX.match(sector):
        raise KnowledgeBaseError.e("E401", path=str(path), reason=f"{where}: bad sector {sector!r}")
    start, end = date(r.get("start")), date(r.get("end"))
    if start and end and end < start:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=f"{where}: role ends before it starts")
    leader = str(r.get("leader") or "").strip().lower() in ("1", "true", "yes")
    return Role(title=(r.get("role") or "").strip(), country=(r.get("country") or "").strip() or None,
                sector=sector, start=start, end=end, leader=leader)


def _read_entries(path: Path) -> list[Entry]:
    try:
        with path.open("r", encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=exc.strerror or str(exc)) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=f"not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, list):
        raise KnowledgeBaseError.e("E401", path=str(path), reason="expected a list of entries")
    out = []
    for n, item in enumerate(data, 1):
        where = f"entry {n}"
        if not isinstance(item, dict) or not item.get("name"):
            raise KnowledgeBaseError.e("E401", path=str(path), reason=f"{where}: needs a name")
        kind = item.get("kind", "organisation")
        if kind not in KINDS:
            raise KnowledgeBaseError.e("E401", path=str(path), reason=f"{where}: kind {kind!r} not one of {', '.join(KINDS)}")
        sector = item.get("sector")
        if sector is not None and not SECTOR_RX.match(str(sector)):
            raise KnowledgeBaseError.e("E401", path=str(path), reason=f"{where}: bad sector {sector!r}")
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            raise KnowledgeBaseError.e("E401", path=str(path), reason=f"{where}: aliases must be a list")
        name = str(item["name"])
        if kind == "person":
            roles = [_role(r, path, where) for r in item.get("roles") or []]
            e = Entry(id=str(item.get("id") or person_id(name)), name=name, kind="person",
                      aliases=tuple(str(a) for a in aliases), gender=item.get("gender"), roles=roles,
                      country=item.get("country"), sector=sector)
            if roles:
                latest = e.role_at(None)
                e.country, e.sector = e.country or latest.country, e.sector or latest.sector
        else:
            e = Entry(id=str(item.get("id") or name), name=name, kind=kind, country=item.get("country"),
                      sector=sector, aliases=tuple(str(a) for a in aliases))
        out.append(e)
    return out


def _read_agents(path: Path) -> tuple[dict, set]:
    agents, titles = {}, set()
    for i, r in enumerate(_rows(path), 2):
        term = (r.get("term") or "").strip().lower()
        sector = (r.get("sector") or "").strip()
        if not term or not SECTOR_RX.match(sector):
            raise KnowledgeBaseError.e("E401", path=str(path), reason=f"row {i}: needs term and a sector code")
        agents[term] = sector
        if (r.get("title") or "").strip() == "1":
            titles.add(term)
    return agents, titles


def place_country(name: str) -> Optional[str]:
    """ISO3 of a place as written: a state ("Ukraine"), a capital or seat ("Istanbul" is a place,
    "Kyiv" a capital) or a region/city in places.csv; None when unknown."""
    kb = load_kb()
    for eid, _how in kb.lookup(name):
        e = kb.entries[eid]
        if e.kind == "state" and e.country:
            return e.country
    is_place, country = kb.place(name)
    return country if is_place else None


@lru_cache(maxsize=1)
def _code_equivalents() -> dict:
    out: dict = {}
    for r in _rows(_data_dir() / "code_equivalents.csv"):
        out.setdefault(r["code"].strip(), set()).add(r["means"].strip())
    return out


def codes_equivalent(gold: Optional[str], predicted: Optional[str]) -> bool:
    """True when a gold country code (possibly an old CAMEO code such as JAP, or the catch-all
    IGO) names the same actor country as eventwire's ``predicted`` code."""
    if gold == predicted:
        return True
    if gold is None or predicted is None:
        return False
    return predicted in _code_equivalents().get(gold, ())
