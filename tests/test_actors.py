"""The actor stage: names, titles, descriptions, metonyms, places, dates and coreference.

Texts here are written for these tests; the seed article is read from ../shared (skipped when absent).
"""
from __future__ import annotations

import pytest

from eventwire.actors.resolve import resolve_phrase


@pytest.fixture(scope="module")
def actors_only():
    from eventwire import Pipeline

    return Pipeline(stages=["eventwire_actors"])


def _actors(pipe, text, published="2024-01-01"):
    return pipe.extract(text, published=published).actors


def _find(actors, text):
    """The actor with a mention whose text is ``text`` (or, failing that, contains it)."""
    for a in actors:
        if any(m.text == text for m in a.mentions):
            return a
    for a in actors:
        if any(text in m.text for m in a.mentions if m.how != "group"):
            return a
    raise AssertionError(f"no mention {text!r} in {[(a.name, [m.text for m in a.mentions]) for a in actors]}")


# -- the seed article ---------------------------------------------------------------------------
SEED_EXPECT = [
    # (mention text, actor name or None, country, sector)
    ("U.S. President Donald J. Trump", "Donald Trump", "USA", "GOV"),
    ("Russian leader Vladimir Putin", "Vladimir Putin", "RUS", "GOV"),
    ("President Zelenskyy of Ukraine", "Volodymyr Zelensky", "UKR", "GOV"),
    ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov", "RUS", "GOV"),
    ("a spokesman for Ukraine’s Ministry of Foreign Affairs, Heorhii Tykhyi", "Heorhii Tykhyi", "UKR", "GOV"),
    ("NATO", "NATO", "NATO", "IGO"),
    ("The Kremlin", None, "RUS", "GOV"),
    ("Moscow", None, "RUS", "GOV"),
    ("Kyiv", None, "UKR", "GOV"),
    ("the Russian delegation", None, "RUS", "GOV"),
    ("Ukrainian forces", None, "UKR", "MIL"),
]


@pytest.mark.parametrize("mention,name,country,sector", SEED_EXPECT)
def test_seed_actors(seed_doc, mention, name, country, sector):
    a = _find(seed_doc.actors, mention)
    assert (a.country, a.sector) == (country, sector)
    if name:
        assert a.name == name


def test_seed_every_he_before_a_quote_is_trump(seed_doc):
    text = seed_doc.text
    trump = next(a for a in seed_doc.actors if a.name == "Donald Trump")
    hes = [m for m in trump.mentions if m.how == "pronoun"]
    # every "he added"/"he said" right after a closing quotation mark
    cues = [i + 2 for i in range(len(text) - 4) if text[i] == "”" and text[i + 2:i + 4].lower() == "he"]
    assert cues, "the seed has quotes closed by 'he …'"
    for c in cues:
        assert any(m.start == c for m in hes), f"'he' at {c} is not Trump"
    for a in seed_doc.actors:
        if a is not trump:
            assert not any(m.start in cues for m in a.mentions)


def test_seed_the_two_sides_are_russia_and_ukraine(seed_doc):
    pair = [a.name for a in seed_doc.actors if any(m.how == "group" for m in a.mentions)]
    assert sorted(pair) == ["Russia", "Ukraine"]


def test_seed_places_are_not_actors(seed_doc):
    mentioned = {m.text for a in seed_doc.actors for m in a.mentions}
    for place in ("Istanbul", "Donetsk", "Luhansk", "Kherson", "Zaporizhzhia", "Crimea"):
        assert place not in mentioned


def test_seed_offsets_point_at_the_text(seed_doc):
    for a in seed_doc.actors:
        assert a.id.startswith("A") and a.mentions
        for m in a.mentions:
            assert seed_doc.text[m.start:m.end] == m.text


# -- dates decide who holds a title -------------------------------------------------------------
@pytest.mark.parametrize("published,us,fr", [
    ("2013-06-01", "Barack Obama", "Francois Hollande"),
    ("2017-07-07", "Donald Trump", "Emmanuel Macron"),
])
def test_the_president_at_the_publication_date(actors_only, published, us, fr):
    actors = _actors(actors_only, "The U.S. president met the French president on Tuesday.", published)
    assert _find(actors, "The U.S. president").name == us
    assert _find(actors, "the French president").name == fr


def test_kremlin_leader_and_pronoun(actors_only):
    actors = _actors(actors_only, "The Kremlin leader said he was ready for talks.", "2023-03-01")
    putin = _find(actors, "The Kremlin leader")
    assert putin.name == "Vladimir Putin"
    assert any(m.text == "he" and m.how == "pronoun" for m in putin.mentions)


def test_former_officials_are_elites(actors_only):
    actors = _actors(actors_only, "Former Chancellor Angela Merkel defended her policy. "
                                  "The German chancellor, Olaf Scholz, disagreed.", "2023-05-01")
    merkel = _find(actors, "Former Chancellor Angela Merkel")
    assert (merkel.sector, merkel.role) == ("ELI", "former chancellor")
    assert any(m.text == "her" for m in merkel.mentions)
    assert _find(actors, "Olaf Scholz").name == "Olaf Scholz"
    assert _find(actors, "The German chancellor").name == "Olaf Scholz"


# -- descriptions, institutions and people outside the knowledge base ---------------------------
@pytest.mark.parametrize("text,mention,country,sector", [
    ("Fighting with separatists in eastern Ukraine continued.", "separatists", "UKR", "REB"),
    ("The ruling follows a U.S. Supreme Court decision.", "U.S. Supreme Court", "USA", "JUD"),
    ("The American Civil Liberties Union sued the city.", "The American Civil Liberties Union", "USA", "NGO"),
    ("Members of US Congress objected.", "US Congress", "USA", "LEG"),
    ("The Kenyan Ministry of Health said cases rose.", "The Kenyan Ministry of Health", "KEN", "GOV"),
    ("Ukrainian lawmaker Oleksiy Goncharenko said so.", "Ukrainian lawmaker Oleksiy Goncharenko", "UKR", "LEG"),
    ("Hamas fighters attacked Israeli troops, the IDF said.", "Hamas fighters", "PSE", "REB"),
    ("Hamas fighters attacked Israeli troops, the IDF said.", "Israeli troops", "ISR", "MIL"),
    ("Qatari officials met Houthi negotiators.", "Houthi negotiators", "YEM", "REB"),
    ("Brazil's Defense Ministry issued a statement.", "Brazil's Defense Ministry", "BRA", "GOV"),
])
def test_descriptions(actors_only, text, mention, country, sector):
    a = _find(_actors(actors_only, text), mention)
    assert (a.country, a.sector) == (country, sector)


def test_surname_after_full_name_is_the_same_person(actors_only):
    actors = _actors(actors_only, "Ukrainian lawmaker Oleksiy Goncharenko spoke first. Later Goncharenko voted.")
    a = _find(actors, "Goncharenko")
    assert a.name == "Oleksiy Goncharenko" and len(a.mentions) == 2


def test_a_full_name_with_another_first_name_is_not_the_known_person(actors_only):
    # the knowledge base knows Mark Carney; a Jay Carney in 2013 is someone else, and so is his
    # bare surname later on
    actors = _actors(actors_only, "White House press secretary Jay Carney said the talks failed. Carney added more.",
                     published="2013-05-01")
    a = _find(actors, "Carney")
    assert a.name == "Jay Carney" and a.kb_id is None and len(a.mentions) == 2
    assert not any(x.kb_id == "person:mark-carney" for x in actors)
    actors = _actors(actors_only, "Prime Minister Mark Carney said so. Carney added more.", published="2025-06-01")
    assert _find(actors, "Carney").kb_id == "person:mark-carney"


def test_pronouns_find_a_person_the_kb_does_not_know_by_first_name(actors_only):
    actors = _actors(actors_only, "Ahmed Qasim met Louisa Brandt in the capital. She said the talks went well.")
    assert any(m.text == "She" for m in _find(actors, "Louisa Brandt").mentions)


def test_both_countries_is_the_pair(actors_only):
    actors = _actors(actors_only, "India and Pakistan agreed to a ceasefire. Both countries said it would hold.")
    pair = sorted(a.name for a in actors if any(m.how == "group" for m in a.mentions))
    assert pair == ["India", "Pakistan"]


def test_pronouns_follow_gender_and_quotes(actors_only):
    actors = _actors(actors_only, 'Maria Zakharova spoke after Sergei Lavrov. "We will respond," she said. '
                                  "He added nothing.")
    assert any(m.text == "she" for m in _find(actors, "Maria Zakharova").mentions)
    assert any(m.text == "He" for m in _find(actors, "Sergei Lavrov").mentions)


def test_places_are_not_actors_and_states_as_places_stay_states(actors_only):
    actors = _actors(actors_only, "Delegates met in Istanbul to discuss the war in Ukraine.")
    assert [(a.name, a.kind, a.sector) for a in actors] == [("Ukraine", "state", None)]
    text = "A bomb exploded in Moscow. Moscow blamed Kyiv."
    by_name = {a.name: a for a in _actors(actors_only, text)}
    assert [m.start for m in by_name["Russia"].mentions] == [text.index("Moscow")]  # the place
    assert [m.start for m in by_name["Russian government"].mentions] == [text.rindex("Moscow")]


def test_capitals_as_governments(actors_only):
    actors = _actors(actors_only, "Zakharova said Moscow would respond to Washington.")
    assert (_find(actors, "Moscow").country, _find(actors, "Moscow").sector) == ("RUS", "GOV")
    assert _find(actors, "Washington").country == "USA"


def test_dateline_in_capitals(actors_only):
    actors = _actors(actors_only, "TEHRAN (Reuters) - Iran's foreign minister said talks would go on.", "2025-01-10")
    assert _find(actors, "TEHRAN").country == "IRN"
    assert _find(actors, "Iran's foreign minister").name == "Abbas Araghchi"


def test_no_text_no_actors(actors_only):
    assert _actors(actors_only, "It rained all day and the roads were wet.") == []


def test_resolve_phrase():
    a = resolve_phrase("Kremlin spokesman Dmitry Peskov", published="2025-05-17")
    assert (a.name, a.country, a.sector) == ("Dmitry Peskov", "RUS", "GOV")
    assert resolve_phrase("the weather") is None


@pytest.mark.parametrize("text", ["Russian and Ukrainian soldiers died.",
                                  "U.S. and Russian negotiators met in Geneva on Monday."])
def test_conjoined_nationalities_make_one_actor_each(actors_only, text):
    actors = _actors(actors_only, text)
    countries = sorted(a.country for a in actors if a.sector in ("MIL", "GOV"))
    assert len(countries) == 2 and len(set(countries)) == 2


def test_stance_adjectives_do_not_place(actors_only):
    actors = _actors(actors_only, "An outspoken pro-Russia journalist was detained.")
    assert _find(actors, "journalist").country is None


# -- actors are actors: counts, places where things happen and generic nouns are nobody ---------
@pytest.fixture(scope="module")
def nlp(actors_only):
    return actors_only.nlp


@pytest.mark.parametrize("text,phrase,kind", [
    ("The navy said 31 drones were shot down overnight.", "31 drones", None),
    ("The ministry reported about 5,000 troops near the border.", "about 5,000 troops", "group"),
    ("Moscow sent roughly 600 Chechen fighters.", "roughly 600 Chechen fighters", "group"),
    ("Kyiv demanded a full withdrawal from Kherson.", "Kherson", None),
    ("The envoys met in Doha on Sunday.", "Doha", None),
    ("The envoys met in Doha on Sunday.", "The envoys", "group"),
    ("Ankara dismissed the point as irrelevant.", "the point", None),
    ("The presidents spoke briefly.", "The presidents", None),
    ("Other people joined the march.", "Other people", None),
    ("Warsaw accused Minsk of provoking the crisis.", "Minsk", "state"),
    ("Polish farmers blocked the crossing.", "Polish farmers", "group"),
    ("Iranian drones hit the depot.", "Iranian drones", "group"),
    ("The African Union suspended Niger.", "The African Union", "igo"),
    ("She rejected the plan.", "She", "pronoun"),
    ("It was a cold night.", "It", None),
    ("The summit ended without a statement.", "The summit", None),
    ("Several nations including Chile and Peru signed the accord.", "Several nations", "group"),
])
def test_actor_kind(nlp, text, phrase, kind):
    from eventwire.actors.kinds import actor_kind, is_actor_mention

    doc = nlp(text)
    i = text.index(phrase)
    span = doc.char_span(i, i + len(phrase), alignment_mode="expand")
    assert actor_kind(span) == kind
    assert is_actor_mention(span.root) == (kind is not None)


def test_counts_are_cut_from_the_actor(actors_only):
    a = _find(_actors(actors_only, "Paris sent an additional 2,500 French troops to Estonia."), "French troops")
    assert (a.name, a.country) == ("French troops", "FRA")
    actors = _actors(actors_only, "Kyiv said it had handed over about 800 Russian soldiers on Friday.")
    a = _find(actors, "Russian soldiers")
    assert (a.country, a.sector) == ("RUS", "MIL")
    assert not any(ch.isdigit() for m in a.mentions for ch in m.text) and not any(ch.isdigit() for ch in a.name)


@pytest.mark.parametrize("text", [
    "The navy said 31 drones were shot down overnight.",
    "Other people joined the march later.",
    "The presidents spoke briefly by phone.",
    "Armenia completed the withdrawal from Kherson and Mariupol.",
])
def test_nobody_in_particular_is_no_actor(actors_only, text):
    names = [(a.name, [m.text for m in a.mentions]) for a in _actors(actors_only, text)]
    assert all(a[0] not in ("drones", "people", "Other people", "presidents", "Kherson", "Mariupol") for a in names), names
    assert not any("31" in t or "Kherson" in t for _, ms in names for t in ms), names


def test_party_plural_takes_the_pair_the_text_names(actors_only):
    actors = _actors(actors_only, "Emmanuel Macron and Olaf Scholz met in Paris. The leaders agreed on a joint plan.",
                     "2023-06-01")
    pair = sorted(a.name for a in actors if any(m.how == "group" for m in a.mentions))
    assert pair == ["Emmanuel Macron", "Olaf Scholz"]


def test_people_resolve_by_their_own_office_not_their_subject(actors_only):
    actors = _actors(actors_only, "Special counsel Robert Mueller questioned several Russians about the campaign.",
                     "2018-05-01")
    a = _find(actors, "Robert Mueller")
    assert (a.name, a.country) == ("Robert Mueller", "USA")
    # someone the knowledge base does not know: placed by the article, not by the Russians
    actors = _actors(actors_only, "The Senate heard from Washington officials on Monday. Inspector general "
                                  "Dana Whitfield questioned several Russians about the payments.", "2018-05-01")
    assert _find(actors, "Dana Whitfield").country != "RUS"


@pytest.mark.parametrize("text,short,name", [
    ("Boris Johnson met the Irish taoiseach on Monday. Johnson said the border would stay open.", "Johnson",
     "Boris Johnson"),
    ("Kim Jong Un inspected a missile factory. Kim ordered more launchers.", "Kim", "Kim Jong Un"),
])
def test_short_name_after_a_known_full_name(actors_only, text, short, name):
    actors = _actors(actors_only, text, "2021-06-01")
    a = next(a for a in actors if any(m.text == short for m in a.mentions))
    assert a.name == name


def test_bare_title_is_the_holder_in_the_state_the_article_is_about(actors_only):
    text = ("Kenya and its neighbours met in Nairobi. Kenya will host the next round, and Kenya's "
            "ministers agreed a budget. The president said the talks went well.")
    a = _find(_actors(actors_only, text, "2024-03-01"), "The president")
    assert (a.name, a.country) == ("William Ruto", "KEN")
    # no state the article is mostly about: a president of no known country
    a = _find(_actors(actors_only, "The president said the talks went well.", "2024-03-01"), "The president")
    assert a.country is None


def test_party_plural_with_its_parties_below_stays(actors_only):
    actors = _actors(actors_only, "The leaders of Kenya, Uganda and Rwanda condemned the raid.", "2024-03-01")
    assert any(m.text.startswith("The leaders") for a in actors for m in a.mentions)


def test_the_president_is_not_a_former_one_named_later(actors_only):
    # a former holder named after the current one: "the president" is still the one in office
    text = ("President Barack Obama wants to shut the detention camp. The camp was opened under "
            "President George W. Bush in 2002. Republicans say the president needs Congress to close it.")
    actors = _actors(actors_only, text, "2015-11-11")
    bush = _find(actors, "President George W. Bush")
    assert bush.role == "former president"
    assert not any(m.text == "the president" for m in bush.mentions)
    assert _find(actors, "the president").name == "Barack Obama"
