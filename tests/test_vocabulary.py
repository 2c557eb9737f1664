"""The agreed names: many local names, one canonical name."""
from __future__ import annotations

from dalawux_site.diagnostics import Report
from dalawux_site.load import Document
from dalawux_site.vocabulary import Vocabulary, course_id, name_key


def _vocabulary(data):
    doc = Document("content/names.yaml", "names.yaml", "", data)
    return Vocabulary.from_document(doc, Report())


def test_names_match_ignoring_case_spaces_and_punctuation():
    assert name_key("  Restaurangbiträde,   STORKÖK ") == name_key("restaurangbiträde storkök")
    assert name_key("Köks-biträde") == name_key("köksbiträde")
    assert name_key("Svets") != name_key("Svetsare")


def test_aliases_map_to_the_canonical_name():
    vocabulary = _vocabulary([{"name": "Restaurangbiträde", "aliases": ["Måltidsbiträde", "Köksbiträde"]}])
    assert vocabulary.canonical("måltidsbiträde") == "Restaurangbiträde"
    assert vocabulary.canonical("KÖKSBITRÄDE.") == "Restaurangbiträde"
    assert vocabulary.canonical("restaurangbiträde") == "Restaurangbiträde"
    assert vocabulary.canonical("  Hovslagare  ") == "Hovslagare"


def test_course_id_names_what_who_and_where():
    assert course_id("Restaurangbiträde", "falun", "Borlänge") == "restaurangbitrade-falun-borlange"
    assert course_id("Svetsare", "mora", "Mora") == "svetsare-mora"
    assert course_id("Barnskötare", "alvdalen", "Dalarna") == "barnskotare-alvdalen-dalarna"
