"""Quotes: quotation marks, attributions, speakers and channels (issue 5)."""
from __future__ import annotations

import pytest

from eventwire.quotes import find_quoted


def quoted_texts(text):
    return [text[q.start:q.end] for q in find_quoted(text)]


# -- quotation marks, no model needed ----------------------------------------------------------
@pytest.mark.parametrize("text, inside", [
    ("He said: “We will win.”", ["We will win."]),
    ('He said: "We will win."', ["We will win."]),
    ("He said: «We will win.»", ["We will win."]),
    ("He said: ``We will win.''", ["We will win."]),
    ("He said: ''We will win.''", ["We will win."]),
    ("She said: ‘We will win.’", ["We will win."]),
    ("She said: 'We will win.'", ["We will win."]),
])
def test_every_common_quote_style(text, inside):
    assert quoted_texts(text) == inside


def test_apostrophes_are_not_quote_marks():
    text = "Ukraine’s envoy didn't come. 'It isn’t over,' the envoy's aide said."
    assert quoted_texts(text) == ["It isn’t over,"]


def test_possessive_after_an_abbreviation_is_not_a_quote_mark():
    text = "The U.K.'s envoy left. 'It is over,' the aide said."
    assert quoted_texts(text) == ["It is over,"]


def test_nested_single_quotes_stay_inside_the_double_quote():
    text = "“Stop the ‘bloodbath’ now,” he wrote."
    assert quoted_texts(text) == ["Stop the ‘bloodbath’ now,"]


def test_open_paragraph_convention_joins_paragraphs():
    text = "He said: “First part of the speech.\n“Second part of it.”\nThe end."
    [inside] = quoted_texts(text)
    assert inside.startswith("First part") and inside.endswith("Second part of it.")


def test_unclosed_quote_ends_with_its_paragraph():
    text = "He said: “An unclosed quote here.\nA plain paragraph follows."
    assert quoted_texts(text) == ["An unclosed quote here."]


# -- the stage on our own sentences --------------------------------------------------------------
def quotes_of(pipeline, text):
    return pipeline.extract(text).quotes


def test_speaker_after_and_pronoun_in_next_paragraph(pipeline):
    text = ("“We will never give up our land,” Foreign Minister Andrii Sybiha said on Monday.\n"
            "“Our partners know this very well,” he added.")
    q1, q2 = quotes_of(pipeline, text)
    assert q1.direct and q1.content.text == "We will never give up our land"
    assert q1.cue.text == "said" and "Sybiha" in q1.speaker.mention.text
    assert q2.cue.text == "added" and q2.speaker.mention.text == "he"
    assert q2.speaker.name == q1.speaker.name


def test_split_quote_halves_are_two_quotes_by_one_speaker(pipeline):
    text = "“The talks are over,” the minister said, “and nobody will restart them soon.”"
    q1, q2 = quotes_of(pipeline, text)
    assert q1.content.text == "The talks are over"
    assert q2.content.text == "and nobody will restart them soon."
    assert q1.speaker.mention.text == "the minister"
    assert q2.speaker.name == q1.speaker.name


def test_colon_introduced_quote_with_speaker_before(pipeline):
    text = "The general told reporters: “Our troops will hold the line until spring.”"
    [q] = quotes_of(pipeline, text)
    assert q.direct and q.content.text == "Our troops will hold the line until spring."
    assert q.speaker.mention.text == "The general"


def test_scare_quoted_word_is_attributed_to_who_used_it(pipeline):
    text = "Critics called the plan a “victory” for nobody, and the deal remains on hold."
    [q] = [q for q in quotes_of(pipeline, text) if q.direct]
    assert q.content.text == "victory" and q.cue.text == "called"
    assert q.speaker.mention.text == "Critics"


def test_quoted_title_is_not_a_quote(pipeline):
    text = "The envoy spoke on “Face the Nation” about the frozen talks with the rebels."
    assert not [q for q in quotes_of(pipeline, text) if q.direct]


def test_partial_quote_inside_paraphrase(pipeline):
    text = "The ambassador said the proposal was “dead on arrival” in its current form."
    reported, partial = quotes_of(pipeline, text)
    assert not reported.direct and reported.content.text.startswith("the proposal")
    assert "dead on arrival" in reported.content.text
    assert partial.direct and partial.content.text == "dead on arrival"
    assert reported.speaker.mention.text == "The ambassador"
    assert partial.speaker.name == reported.speaker.name and partial.cue.text == "said"


def test_quoted_as_saying_names_the_one_quoted(pipeline):
    text = "“We will not sign this text,” the agency quoted Foreign Minister Andrii Sybiha as saying."
    [q] = quotes_of(pipeline, text)
    assert "Sybiha" in q.speaker.name


def test_statement_speaks_for_the_body_named_before(pipeline):
    text = ("The Defence Ministry of Ukraine said on Monday that its air defences had shot down nine drones.\n"
            "“All crews returned safely,” the statement said.")
    quotes = quotes_of(pipeline, text)
    [q] = [q for q in quotes if q.direct]
    assert q.speaker.mention.text == "the statement"
    assert q.speaker.name == quotes[0].speaker.name


def test_group_a_name_qualifies_is_the_speaker(pipeline):
    text = "Senior U.S. officials said the convoy had crossed the border overnight."
    [q] = quotes_of(pipeline, text)
    assert q.speaker.name == "Senior U.S. officials" and q.speaker.country == "USA"


@pytest.mark.parametrize("text, speaker", [
    # the people around a person speak, not the person
    ("The Biden administration said it would send more air defence systems.", "Biden administration"),
    # a short title before the name, then the title in full
    ("Sen. Tammy Baldwin voted against the bill. “This is a bad deal,” the senator said.", "Tammy Baldwin"),
    # the person named in apposition, not the one the title is about
    ("Lena Ortiz, a spokeswoman for Biden, said the meeting was cancelled.", "Lena Ortiz"),
    # an agency known by its initials is named in full
    ("The death toll rose to twelve, AFP reported.", "Agence France-Presse"),
    # a document speaks for the body written next to it where the article first mentions it
    ("Lena Ortiz spoke first. The Harbour Safety Board report came out on Monday.\n"
     "The report said the crane had failed twice.", "Harbour Safety Board"),
    # an abbreviation the article spells out
    ("The Global Shipping Council (GSC) met on Monday. The GSC said exports had fallen.", "Global Shipping Council"),
])
def test_speakers_as_a_reader_names_them(pipeline, text, speaker):
    quotes = quotes_of(pipeline, text)
    assert quotes and quotes[-1].speaker.name == speaker


def test_he_is_not_the_woman_quoted_before(pipeline):
    text = ("Maria Keller met Tom Adler in Vienna. “We made progress,” Keller said.\n"
            "Adler spoke later. The talks had stalled, he said.")
    quotes = quotes_of(pipeline, text)
    assert quotes[-1].speaker.name != "Maria Keller"


@pytest.mark.parametrize("text, speaker, content_start", [
    ("Officials said the convoy had crossed the border overnight.", "Officials", "the convoy"),
    ("The ministry warned that further strikes would follow.", "The ministry", "that further"),
    ("Reports have claimed that the delegation left early.", "Reports", "that the delegation"),
    ("The rebels denied that they had shelled the town.", "The rebels", "that they"),
    ("According to the United Nations, 40 aid trucks entered the city.", "the United Nations", "40 aid"),
    ("The talks will resume next week, a senior diplomat said.", "a senior diplomat", "The talks"),
    ("The envoy told journalists that a ceasefire was close.", "The envoy", "that a ceasefire"),
    ("The senator called for new sanctions on the regime.", "The senator", "new sanctions"),
])
def test_indirect_speech(pipeline, text, speaker, content_start):
    quotes = quotes_of(pipeline, text)
    assert len(quotes) == 1, [q.content.text for q in quotes]
    q = quotes[0]
    assert not q.direct
    assert q.speaker.mention.text == speaker
    assert q.content.text.startswith(content_start)
    assert text[q.content.start:q.content.end] == q.content.text


@pytest.mark.parametrize("text, channel", [
    ("“We are ready,” the president wrote on Truth Social.", "Truth Social"),
    ("The premier tweeted that the border would reopen on Friday.", "Twitter"),
    ("The ministry said in a statement that the talks had failed.", "statement"),
    ("The chancellor told Fox News in an interview that Europe would pay its share.", "Fox News interview"),
    ("In an interview published on Friday by Fox News, the senator said the deal was dead.",
     "Fox News interview"),
    ("In a post on Telegram, the governor said the power plant had been hit.", "Telegram"),
])
def test_channels(pipeline, text, channel):
    [q] = quotes_of(pipeline, text)
    assert q.channel == channel


def test_no_speech_no_quotes(pipeline):
    assert quotes_of(pipeline, "Tanks rolled into the town at dawn and the bridge was destroyed.") == []


# -- the seed article ------------------------------------------------------------------------------
SEED_STATEMENTS = [
    # (words in the content, speaker name, speaker mention text, channel)
    ("will speak to Russian leader Vladimir Putin", "Trump", "Donald J. Trump", None),
    ("will speak with Putin at 10 am", "Trump", "Trump", "Truth Social"),
    ("The subjects of the call", "Trump", "Trump", "Truth Social"),
    ("I will then be speaking to President Zelenskyy", "Trump", "he", "Truth Social"),
    ("Russia is open to a potential meeting", "Peskov", "Peskov", None),
    ("Ukraine would have to officially adopt a neutral stance", None, "The Kremlin", None),
    ("were unacceptable to Kyiv", "Tykhyi", "Tykhyi", None),
    ("ramp up pressure on Russia", "Trump", "Trump", "Fox News interview"),
    ("We’ll see what happens", "Trump", "Trump", "Fox News interview"),
    ("I have a very good relationship with Putin", "Trump", "he", "Fox News interview"),
]


def test_seed_article_has_all_ten_statements(seed_doc):
    for words, name, mention, channel in SEED_STATEMENTS:
        found = [q for q in seed_doc.quotes if words in q.content.text]
        assert len(found) == 1, words
        q = found[0]
        assert q.speaker is not None and q.speaker.mention is not None, words
        assert mention in q.speaker.mention.text, (words, q.speaker)
        if name:
            assert name in q.speaker.name, (words, q.speaker)
        assert q.channel == channel, (words, q.channel)
        assert seed_doc.text[q.content.start:q.content.end] == q.content.text


def test_seed_kremlin_speaks_for_russia(seed_doc):
    [q] = [q for q in seed_doc.quotes if "neutral stance" in q.content.text]
    assert q.speaker.actor is not None and q.speaker.country == "RUS"


def test_seed_unnamed_reports_are_kept_without_actor(seed_doc):
    [q] = [q for q in seed_doc.quotes if q.speaker and q.speaker.name == "Reports"]
    assert q.speaker.actor is None and q.speaker.mention.text == "Reports"
    assert q.content.text.startswith("that the Russian delegation demanded")


def test_seed_direct_quotes_are_direct(seed_doc):
    direct = {q.content.text[:20] for q in seed_doc.quotes if q.direct}
    assert direct == {"The subjects of the ", "I will then be speak", "We’ll see what happe",
                      "I have a very good r"}


@pytest.mark.parametrize("text, first, second", [
    ("President Biden met Prime Minister Benjamin Netanyahu of Israel on Sunday. "
     "The two leaders affirmed that aid would continue to flow into the city.", "Biden", "Netanyahu"),
    ("Chancellor Olaf Scholz hosted President Emmanuel Macron in Berlin. "
     "Both said that the summit had gone well.", "Scholz", "Macron"),
])
def test_joint_speaker_names_both(pipeline, text, first, second):
    [q] = quotes_of(pipeline, text)
    assert first in q.speaker.name and second in q.speaker.name and " and " in q.speaker.name


def test_headline_name_colon_is_a_statement(pipeline):
    text = ("Peskov: Russia is open to a meeting with the Ukrainian side\n\n"
            "MOSCOW — The Kremlin spokesman spoke to reporters on Monday.")
    [q] = quotes_of(pipeline, text)
    assert q.content.text == "Russia is open to a meeting with the Ukrainian side"
    assert "Peskov" in q.speaker.name and q.cue.text == ":"


def test_transcript_turns_are_not_headlines(pipeline):
    text = ("Remarks before departure\n\nQ: Will you meet the president this week?\n\n"
            + "THE PRESIDENT: We will see what happens next week. " * 10)
    assert not [q for q in quotes_of(pipeline, text) if q.cue is not None and q.cue.text == ":"]


def test_title_stands_for_the_person_it_was_given_to(pipeline):
    text = ("Radio host Marta Kowalczyk interviewed the minister on Monday. "
            "The radio host said that the talks had been postponed again.")
    [q] = quotes_of(pipeline, text)
    assert q.speaker.name == "Marta Kowalczyk" and q.speaker.mention.text == "The radio host"
