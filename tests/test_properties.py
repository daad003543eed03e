"""Property-based tests (Hypothesis): arbitrary text, bytes and JSON give a petition or a PetitionError, never
another exception; the export CLI gives exit status 0 or 1 with one line of error, never a traceback."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import tempfile
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import export
from petitions import loader
from petitions.api import PetitionsAPI, parse_list, parse_source
from petitions.model import MAX_COUNT, MAX_ID, Petition, PetitionError, decode_json, parse_petition
from tests.conftest import MIRROR

FAST = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLOW = settings(FAST, max_examples=40)

SCALARS = (st.none() | st.booleans() | st.integers(min_value=-10**40, max_value=10**40)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30))
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20)
BASE = json.loads((MIRROR / "petitions" / "603658.json").read_text())
ATTRS = sorted(BASE["data"]["attributes"]) + ["signatures_by_constituency", "state", "parliament", "debate",
                                              "government_response", "rejection"]
ENTRY_KEYS = ["ons_code", "name", "mp", "signature_count", "code"]
LINKISH = st.builds(lambda scheme, host, path, tail: f"{scheme}{host}{path}{tail}",
                    st.sampled_from(["https://", "http://", "", "HTTPS://", "ftp://", "//", "javascript:"]),
                    st.sampled_from(["petition.parliament.uk", "www.petition.parliament.uk", "PETITION.parliament.uk",
                                     "petitionmap.unboxedconsulting.com", "evil.example", "[::1", "a@b", ""]),
                    st.sampled_from(["/petitions/", "/archived/petitions/", "/?petition=", "/", ""]),
                    st.text(max_size=20) | st.integers(min_value=-5, max_value=10**12).map(str))


@st.composite
def mutated_documents(draw) -> dict:
    """The real 603658 document with one value, anywhere in it, replaced by arbitrary JSON."""
    doc = copy.deepcopy(BASE)
    attrs = doc["data"]["attributes"]
    where = draw(st.sampled_from(["count", "code", "attribute", "constituency", "country", "region", "data", "top"]))
    value = draw(SCALARS if where in ("count", "code") else JSON)
    if where == "count":  # the values the maps and exports add up
        kind = draw(st.sampled_from(["", "signatures_by_constituency", "signatures_by_country",
                                     "signatures_by_region"]))
        entries = attrs[kind] if kind else [attrs]
        entries[draw(st.integers(0, len(entries) - 1))]["signature_count"] = value
    elif where == "code":  # ONS codes are identity: arbitrary, or another seat's (a duplicate)
        entries = attrs["signatures_by_constituency"]
        other = entries[draw(st.integers(0, len(entries) - 1))]["ons_code"]
        entries[draw(st.integers(0, len(entries) - 1))]["ons_code"] = draw(st.just(other) | st.just(value))
    elif where == "attribute":
        attrs[draw(st.sampled_from(ATTRS))] = value
    elif where in ("constituency", "country", "region"):
        entries = attrs[{"constituency": "signatures_by_constituency", "country": "signatures_by_country",
                         "region": "signatures_by_region"}[where]]
        entries[draw(st.integers(0, len(entries) - 1))][draw(st.sampled_from(ENTRY_KEYS))] = value
    elif where == "data":
        doc["data"][draw(st.sampled_from(["id", "type", "attributes"]))] = value
    else:
        doc[draw(st.sampled_from(["data", "links"]))] = value
    return doc


def check(petition: Petition) -> None:
    """What every accepted petition guarantees to the pages and the CLI."""
    assert 1 <= petition.id <= MAX_ID and isinstance(petition.state, str) and isinstance(petition.action, str)
    assert isinstance(petition.background, str) and isinstance(petition.additional_details, str)
    counts = [petition.signature_count] + [c.signature_count for c in
                                           (*petition.constituencies, *petition.countries, *petition.regions)]
    assert all(type(n) is int and 0 <= n <= MAX_COUNT for n in counts)
    codes = [c.ons_code for c in petition.constituencies]
    assert len(codes) == len(set(codes)) and all(isinstance(c, str) for c in codes)
    assert all(isinstance(c.mp, str | None) and isinstance(c.name, str) for c in petition.constituencies)
    assert petition.parliament is None or isinstance(petition.parliament, str)
    if petition.debate:
        assert all(u is None or u.startswith("https://") for u in (petition.debate.transcript_url,
                                                                   petition.debate.video_url))


@FAST
@given(st.text() | LINKISH | st.integers() | st.from_regex(r"\s*[0-9]{0,14}\s*", fullmatch=True))
def test_parse_source_gives_a_petition_number_or_a_petition_error(text):
    try:
        where = parse_source(text)
    except PetitionError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
        return
    assert type(where) is int and 1 <= where <= MAX_ID  # the web never gets a file


@FAST
@given(st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_the_document_parser_on_arbitrary_bytes(data):
    try:
        check(parse_petition(decode_json(data)))
    except PetitionError as exc:
        assert "\n" not in str(exc)


@FAST
@given(JSON)
def test_the_document_parser_on_arbitrary_json(value):
    try:
        check(parse_petition(value))
    except PetitionError as exc:
        assert "\n" not in str(exc)


@FAST
@given(mutated_documents())
def test_the_document_parser_on_real_documents_with_one_value_changed(doc):
    for source in (doc, json.dumps(doc).encode()):
        try:
            check(parse_petition(decode_json(source) if isinstance(source, bytes) else source))
        except PetitionError as exc:
            assert "\n" not in str(exc)


@FAST
@given(JSON | st.fixed_dictionaries({"data": st.lists(JSON | st.fixed_dictionaries(
    {"id": SCALARS, "attributes": st.dictionaries(st.sampled_from(["action", "state", "signature_count"]), SCALARS)}),
    max_size=4), "links": st.dictionaries(st.sampled_from(["next", "last"]), SCALARS | LINKISH)}))
def test_the_list_parser_gives_a_page_or_a_petition_error(doc):
    try:
        page = parse_list(doc)
    except PetitionError:
        return
    assert all(1 <= i.id <= MAX_ID and isinstance(i.action, str) and 0 <= i.signature_count <= MAX_COUNT
               for i in page.items)


def offline(request):
    raise httpx.ConnectError("no network")


@SLOW
@given(mutated_documents() | JSON)
def test_export_cli_on_arbitrary_documents(monkeypatch, doc):
    monkeypatch.setattr(loader, "PetitionsAPI", lambda: PetitionsAPI(
        httpx.Client(transport=httpx.MockTransport(offline)), sleep=lambda s: None))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.json"
        path.write_text(json.dumps(doc))
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = export.main([str(path), "--csv", str(Path(folder) / "out" / "a.csv")])
        assert status in (0, 1)
        if status:
            assert err.getvalue().startswith("error: ") and err.getvalue().count("\n") == 1
            assert not (Path(folder) / "out").exists()


@SLOW
@given(st.text(max_size=40) | LINKISH)
def test_export_cli_on_arbitrary_sources(monkeypatch, source):
    monkeypatch.setattr(loader, "PetitionsAPI", lambda: PetitionsAPI(
        httpx.Client(transport=httpx.MockTransport(offline)), sleep=lambda s: None))
    if source.strip().startswith("-"):
        source = " " + source  # argparse would read it as an option
    with tempfile.TemporaryDirectory() as folder:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                status = export.main([source, "--csv", str(Path(folder) / "a.csv")])
            except SystemExit as exit_:  # argparse: a usage error, exit status 2
                status = exit_.code
        assert status in (0, 1, 2), err.getvalue()
        assert "Traceback" not in err.getvalue()


@pytest.mark.parametrize("text", ["²³⁹⁴⁰⁶", "9" * 5000, "https://[::1/petitions/1", "\x00"])
def test_examples_hypothesis_found_stay_fixed(text):
    with pytest.raises(PetitionError):
        parse_source(text)
