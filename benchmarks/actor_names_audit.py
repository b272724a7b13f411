"""Which names does the pipeline use as an event's source or target, and which of them cannot be actors?

    .venv/bin/python benchmarks/actor_names_audit.py [--allsides N] [--max-chars C] [--list]
                                                     [--dump DIR | --pred DIR]

Runs the demo corpus (eventwire/demo/corpus.jsonl) and the first N articles (default 300) of the
AllSides sample (../shared/corpus/articles/allsides_international.jsonl.gz) through extraction and
collects every source/target name. Each is checked against four faults, with rules written here
on purpose independently of eventwire.actors (the audit must not grade the code by its own rules):

    number     the name holds a numeral or a counting word ("48 missiles", "about 40,000 troops")
    place      a city or region written after a locative preposition ("withdrawal from
               Donetsk", "talks in Istanbul"): a location, not a participant
    state-at   a state or capital there ("strikes in Ukraine"): counted apart, not a fault, since
               coders take the state where a blow lands as its target
    generic    no name, no nationality, no word for a kind of participant ("point", "sides",
               "presidents", "other people"): a common noun that refers to nobody in particular
    pronoun    a bare pronoun left unresolved ("it", "they")

Prints counts per corpus and fault, the top 10 source→target country pairs and, with --list,
every flagged name with its sentence. Nothing is asserted: the figures go into the note.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEMO = REPO / "eventwire" / "demo" / "corpus.jsonl"
ALLSIDES = SHARED / "corpus" / "articles" / "allsides_international.jsonl.gz"

NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions",
    "billion", "billions", "several", "many", "some", "about", "around", "nearly", "almost",
    "roughly", "approximately", "least", "more", "fewer", "than", "up", "over", "under", "numerous",
}
LOCATIVE = {"in", "at", "near", "from", "into", "inside", "outside", "across", "throughout",
            "within", "around", "towards", "toward", "through", "across", "onto", "beyond"}
# words that name a kind of participant: persons by role, bodies, forces, groups of people
PARTICIPANT_WORDS = set("""
president presidents leader leaders minister ministers official officials spokesman spokeswoman
spokesperson diplomat diplomats envoy envoys ambassador ambassadors delegation delegations
government governments administration authorities authority ministry department agency office
cabinet parliament lawmakers lawmaker senator senators congress legislature court judge judges
prosecutor prosecutors police officer officers military army navy forces force troops soldiers
soldier militants militant rebels rebel fighters fighter insurgents separatists militia militias
gunmen group groups protesters protester demonstrators activists opposition party parties regime
junta civilians civilian residents refugees migrants prisoners prisoner hostages workers union
students journalists media company companies bank council commission committee alliance coalition
negotiators negotiator mediators mediator chancellor premier king queen emir prince general
commander commanders guard guards intelligence service services embassy staff members member
investigators investigator student experts analysts monitors inspectors observers voters citizens people
population families villagers farmers doctors allies ally nations countries states
terrorists terrorist victims children women reporters migrants refugees parents hostages detainees
voters lawyers worshippers worshipers settlers
""".split())
# plural nouns that stand for parties only through the text around them
PARTY_PLURALS = {"sides", "parties", "presidents", "leaders", "countries", "nations", "states",
                 "governments", "people", "men", "others", "allies", "partners"}
PRONOUNS = {"it", "they", "them", "he", "she", "we", "i", "you", "this", "that", "these", "those",
            "who", "which", "one", "us"}
DETS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those",
        "other", "both", "all", "each", "such", "another", "any", "no"}


def _words(name: str) -> list[str]:
    return re.findall(r"[\w’'-]+", name)


def faults(ref, text: str, places: set, states: set) -> list[str]:
    """The faults of one source/target reference (an ActorRef) in ``text``."""
    name = ref.name or ""
    words = _words(name)
    low = [w.lower() for w in words]
    out = []
    # a numeral standing alone: not inside a name ("G7", "M23") nor a hyphenated adjective ("a
    # 19-year-old student" is one person)
    if re.search(r"(?<![\w-])\d[\d,.]*(?![\w-])", name) or any(w in NUMBER_WORDS for w in low[:3]):
        out.append("number")
    mtext = ref.mention.text if ref.mention is not None else ""
    if ref.mention is not None and (name in places or mtext in places or mtext in states):
        before = text[max(0, ref.mention.start - 40):ref.mention.start].lower().split()
        while before and before[-1] in ("the", "of"):
            before.pop()
        if before and before[-1] in LOCATIVE:
            # a city or region where it happened is never an actor; a state there may stand for
            # the side hit ("strikes in Ukraine" → UKR), so it is counted apart
            out.append("place" if (name in places or mtext in places) and mtext not in states else "state-at")
    content = [w for w in low if w not in DETS and w not in NUMBER_WORDS]
    if len(content) == 1 and content[0] in PRONOUNS:
        if ref.actor is None:
            out.append("pronoun")
        return out
    proper = any(w[:1].isupper() for w in words if w.lower() not in DETS)
    if not proper and ref.country is None:
        head = content[-1] if content else ""
        if not content or head in PARTY_PLURALS or not (set(content) & PARTICIPANT_WORDS):
            out.append("generic")
    return out


def _place_names() -> tuple[set, set]:
    """(places that are not states, states and their capitals) as written: the knowledge base's
    own lists of names (facts, not rules)."""
    from eventwire.actors.kb import load_kb

    kb = load_kb()
    states = set()
    for e in kb.entries.values():
        if e.kind == "state" and e.sector is None:
            states.add(e.name)
            states.update(e.aliases)
            states.update(e.seats)
    return set(kb.places) - states, states


def _articles(args) -> dict:
    out = {"demo": [], "allsides": []}
    for line in DEMO.read_text("utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out["demo"].append((r["text"], r.get("published")))
    if ALLSIDES.is_file() and args.allsides:
        with gzip.open(ALLSIDES, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                text = (r.get("content_original") or r.get("text") or "").strip()
                if len(text) < 300:
                    continue
                out["allsides"].append((text[:args.max_chars], r.get("date")))
                if len(out["allsides"]) >= args.allsides:
                    break
    return out


def _extract(items: list) -> list:
    from eventwire import Pipeline
    from eventwire.pipeline import Article

    return list(Pipeline().pipe([Article(text=t, published=p) for t, p in items]))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--allsides", type=int, default=300, help="AllSides articles (0: demo only)")
    ap.add_argument("--max-chars", type=int, default=8000, help="characters read per article")
    ap.add_argument("--list", action="store_true", help="print every flagged name")
    ap.add_argument("--dump", metavar="DIR", help="also write the extracted documents here (one jsonl per corpus)")
    ap.add_argument("--pred", metavar="DIR", help="audit documents written by --dump instead of extracting")
    args = ap.parse_args(argv)

    from eventwire.model import document_from_dict

    places, states = _place_names()
    t0 = time.perf_counter()
    for corpus, items in _articles(args).items():
        if not items:
            continue
        if args.pred:
            with open(Path(args.pred) / f"{corpus}.jsonl", encoding="utf-8") as fh:
                docs = [document_from_dict(json.loads(line)) for line in fh]
        else:
            docs = _extract(items)
            if args.dump:
                Path(args.dump).mkdir(parents=True, exist_ok=True)
                with open(Path(args.dump) / f"{corpus}.jsonl", "w", encoding="utf-8") as fh:
                    for d in docs:
                        fh.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
        refs = 0
        names: Counter = Counter()
        flagged: Counter = Counter()
        by_fault: Counter = Counter()
        pairs: Counter = Counter()
        examples = []
        for doc in docs:
            for ev in doc.events:
                pairs[(ev.source.country if ev.source else None, ev.target.country if ev.target else None)] += 1
                for role, ref in (("source", ev.source), ("target", ev.target)):
                    if ref is None:
                        continue
                    refs += 1
                    names[ref.name] += 1
                    fs = faults(ref, doc.text, places, states)
                    for f in fs:
                        by_fault[f] += 1
                    if fs:
                        flagged[(ref.name, "+".join(fs))] += 1
                        examples.append((ref.name, fs, role, ev.type, ev.sentence.text if ev.sentence else ""))
        bad = sum(c for (n, f), c in flagged.items() if f != "state-at")
        print(f"\n== {corpus}: {len(items)} articles, {refs} source/target references, {len(names)} distinct names")
        print(f"flagged: {bad} references ({bad / max(refs, 1):.1%}), {len(flagged)} distinct names")
        for f in ("number", "place", "generic", "pronoun", "state-at"):
            print(f"  {f:8s} {by_fault[f]}")
        print("  top flagged: " + "; ".join(f"{n!r} [{f}] ×{c}" for (n, f), c in flagged.most_common(15)))
        print("  top country pairs: " + "; ".join(f"{s}→{t} ×{c}" for (s, t), c in pairs.most_common(10)))
        if args.list:
            for name, fs, role, typ, sent in examples:
                print(f"    {'+'.join(fs):8s} {role:6s} {typ:10s} {name!r}  | {sent[:140]}")
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
