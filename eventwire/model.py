"""The result types of eventwire: what one article becomes.

Every fact carries the character offsets of its evidence in ``Document.text`` (the cleaned
article text), so a reader can always go back from a field to the words that support it.
The JSON form of these types is the public output format (see ``eventwire schema``); its
version is ``SCHEMA_VERSION`` and changes only on purpose.

Identifiers are local to one document: actors ``A1, A2 …``, events ``E1 …``, quotes ``Q1 …``,
timexes ``T1 …``, claims ``C1 …``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Optional

SCHEMA_VERSION = "eventwire/1"

ACTOR_KINDS = ("person", "organisation", "state", "igo", "group")
EVENT_STATUSES = ("asserted", "planned", "hypothetical", "negated", "demanded", "threatened", "reported")
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
CLAIM_CHANGES = ("=", "~", ">", "<", "up", "down")


@dataclass
class Span:
    """Half-open character range ``[start, end)`` into ``Document.text`` and the text it covers."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass
class Mention:
    """One place where an actor is named or referred to.

    ``how`` says what kind of reference it is: ``name`` ("Dmitry Peskov"), ``title`` ("the
    president"), ``description`` ("the Russian delegation"), ``metonym`` ("the Kremlin",
    "Moscow"), ``adjective`` ("Russian forces"), ``pronoun`` ("he"), ``group`` ("the two sides").
    """

    start: int
    end: int
    text: str
    how: str = "name"


@dataclass
class Actor:
    """A participant: a person, organisation, state, IGO or armed/non-state group."""

    id: str
    name: str                      # canonical name, e.g. "Dmitry Peskov", "Russia", "NATO"
    kind: str                      # one of ACTOR_KINDS
    country: Optional[str] = None  # ISO 3166 alpha-3, or an IGO code (NATO, UN, EU …)
    sector: Optional[str] = None   # GOV MIL REB OPP JUD LEG MED BUS CVL NGO IGO SPY …
    role: Optional[str] = None     # e.g. "Kremlin spokesman", valid at the publication date
    kb_id: Optional[str] = None    # key in the knowledge base, None for actors found only in text
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class ActorRef:
    """An actor as it takes part in an event, quote or claim, with the mention it rests on."""

    actor: Optional[str]           # Actor.id, None when unresolved (e.g. "officials said")
    name: str
    country: Optional[str] = None
    sector: Optional[str] = None
    mention: Optional[Span] = None


@dataclass
class Timex:
    """A temporal expression with its TIMEX3 type and normalised value."""

    id: str
    start: int
    end: int
    text: str
    type: str                      # one of TIMEX_TYPES
    value: str                     # e.g. "2025-05-19", "2025-05-19TMO", "P1W", "XXXX-WXX-1"
    anchored: bool = True          # False: relative value kept because the publication date is unknown


@dataclass
class Event:
    """Who did what to whom, when and where, and whether it happened."""

    id: str
    type: str                      # PLOVER type, one of PLOVER_TYPES
    trigger: Span                  # the words that state the event ("agreed", "sanctions")
    sentence: Span
    status: str = "asserted"       # one of EVENT_STATUSES
    mode: Optional[str] = None     # PLOVER mode where the text fixes it ("phone", "visit" …)
    cameo: Optional[str] = None    # CAMEO code, root or second level ("040", "0311" …)
    goldstein: Optional[float] = None
    quad_class: Optional[int] = None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    source: Optional[ActorRef] = None
    target: Optional[ActorRef] = None
    undirected: bool = False       # True for joint events ("Russia and Ukraine agreed")
    date: Optional[str] = None     # ISO date of the event itself, when the text fixes it
    timex: Optional[str] = None    # Timex.id the date comes from
    location: Optional[str] = None  # place as written
    location_country: Optional[str] = None
    location_span: Optional[Span] = None
    quote: Optional[str] = None    # Quote.id when the event is stated inside a quote
    confidence: float = 1.0


@dataclass
class Quote:
    """A direct quotation or a reported statement and who made it."""

    id: str
    content: Span                  # the quoted words, without quotation marks
    direct: bool                   # inside quotation marks (True) or reported speech (False)
    cue: Optional[Span] = None     # the reporting verb or phrase ("said", "according to")
    speaker: Optional[ActorRef] = None
    channel: Optional[str] = None  # "Truth Social", "Fox News interview", "statement" …
    events: list[str] = field(default_factory=list)  # Event.id of the events it states


@dataclass
class Claim:
    """A number somebody claimed, with its unit and qualifiers."""

    id: str
    span: Span                     # the whole quantity phrase ("more than 5000 … soldiers a week")
    value: float
    unit: Optional[str] = None     # singular, lower case ("soldier", "dollar", "percentage")
    change: str = "="              # one of CLAIM_CHANGES
    value_max: Optional[float] = None  # upper bound of a range ("10-12 people")
    qualifier: Optional[str] = None    # as written ("more than", "about", "up to")
    per: Optional[str] = None      # rate ("week", "day")
    claimant: Optional[ActorRef] = None  # speaker of the enclosing quote, else None (the outlet)
    quote: Optional[str] = None


@dataclass
class Document:
    """Everything eventwire knows about one article."""

    text: str
    id: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None          # ISO date (or datetime) of publication
    published_source: Optional[str] = None   # "input", "html-meta", "dateline", or None when unknown
    schema: str = SCHEMA_VERSION
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    # -- look-ups the stages share -------------------------------------------------------
    def actor(self, actor_id: Optional[str]) -> Optional[Actor]:
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None

    def mentions_in(self, start: int, end: int) -> list[tuple[Actor, Mention]]:
        """Actor mentions overlapping ``[start, end)``, in text order."""
        found = [(a, m) for a in self.actors for m in a.mentions if m.start < end and start < m.end]
        return sorted(found, key=lambda am: am[1].start)

    def ref(self, actor: Actor, mention: Optional[Mention]) -> ActorRef:
        """An ActorRef for ``actor`` resting on ``mention``."""
        span = Span(mention.start, mention.end, mention.text) if mention else None
        return ActorRef(actor.id, actor.name, actor.country, actor.sector, span)

    def to_dict(self) -> dict[str, Any]:
        return _clean(asdict(self))


def _clean(value: Any) -> Any:
    """asdict() output with schema first; kept as-is otherwise (None stays None: explicit)."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _from(cls, data: Optional[dict]):
    """Rebuild a dataclass tree from its dict form (the inverse of ``asdict``)."""
    if data is None:
        return None
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        v = data[f.name]
        kwargs[f.name] = _NESTED.get((cls, f.name), lambda x: x)(v)
    return cls(**kwargs)


def _list_of(cls):
    return lambda items: [_from(cls, i) for i in items or []]


_NESTED: dict = {}


def document_from_dict(data: dict) -> Document:
    """Rebuild a Document from its JSON form (as written by ``Document.to_dict``)."""
    return _from(Document, data)


_NESTED.update({
    (Actor, "mentions"): _list_of(Mention),
    (ActorRef, "mention"): lambda d: _from(Span, d),
    (Event, "trigger"): lambda d: _from(Span, d),
    (Event, "sentence"): lambda d: _from(Span, d),
    (Event, "source"): lambda d: _from(ActorRef, d),
    (Event, "target"): lambda d: _from(ActorRef, d),
    (Event, "location_span"): lambda d: _from(Span, d),
    (Quote, "content"): lambda d: _from(Span, d),
    (Quote, "cue"): lambda d: _from(Span, d),
    (Quote, "speaker"): lambda d: _from(ActorRef, d),
    (Claim, "span"): lambda d: _from(Span, d),
    (Claim, "claimant"): lambda d: _from(ActorRef, d),
    (Document, "actors"): _list_of(Actor),
    (Document, "events"): _list_of(Event),
    (Document, "quotes"): _list_of(Quote),
    (Document, "timexes"): _list_of(Timex),
    (Document, "claims"): _list_of(Claim),
})
