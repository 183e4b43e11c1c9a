"""Typed numbers and call references become exact lookups, or one clear sentence."""

from __future__ import annotations

import dataclasses

import pytest

from rtdash.core.phone import (
    InvalidLookup,
    LookupQuery,
    format_international,
    normalize_number,
    number_needles,
    parse_lookup,
    spelled_as_live,
)


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("07700 900123", "GB", "+447700900123"),
        ("07700900123", "gb", "+447700900123"),
        ("+44 20 3555 6780", "GB", "+442035556780"),
        ("+44 (0)20 3555 6780", "GB", "+442035556780"),
        ("0044 20 3555 6780", "GB", "+442035556780"),
        ("020-3555-6780", "GB", "+442035556780"),
        ("  +447700900123 ", "US", "+447700900123"),  # a +code wins over the region
        ("(202) 555-0100", "US", "+12025550100"),
        ("202.555.0100", "US", "+12025550100"),
    ],
)
def test_normalize_number(typed: str, region: str, e164: str) -> None:
    assert normalize_number(typed, region) == e164


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("abc", "has letters in it"),
        ("0800 FLOWERS", "has letters in it"),
        ("123", "too short"),
        ("+44 1", "too short"),
        ("0770090012345678", "too long"),
        ("12345678901234567890", "too long"),
        ("+999 1234567", "known country code"),
        ("0000000000", "not a valid phone number"),
        ("12#34", "not a phone number"),
        ("anonymous", "the number is anonymous"),
        ("Withheld", "the number is withheld"),
        ("", "enter a phone number"),
        ("   ", "enter a phone number"),
    ],
)
def test_normalize_number_refuses_with_one_clear_line(typed: str, says: str) -> None:
    with pytest.raises(InvalidLookup) as caught:
        normalize_number(typed, "GB")
    message = str(caught.value)
    assert says in message
    assert "\n" not in message
    assert isinstance(caught.value, ValueError)


def test_refusal_quotes_long_input_shortly() -> None:
    with pytest.raises(InvalidLookup) as caught:
        normalize_number("1" * 200 + "x", "GB")
    assert len(str(caught.value)) < 100


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("+447700900123", "+44 7700 900123"),
        ("+442035556780", "+44 20 3555 6780"),
        ("+12025550100", "+1 202-555-0100"),
        ("+4477******", "+4477******"),  # a redaction mask is shown as sent
        ("07700900123", "07700900123"),  # no +code: cannot know the country
        ("anonymous", "anonymous"),
        ("+44 1", "+44 1"),
        ("", ""),
        (None, None),
    ],
)
def test_format_international(raw: str | None, shown: str | None) -> None:
    assert format_international(raw) == shown


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("07700 900123", LookupQuery(number="+447700900123")),
        ("+44 20 3555 6780", LookupQuery(number="+442035556780")),
        ("c-0001", LookupQuery(call_ref="c-0001")),
        (" c-1234-000150 ", LookupQuery(call_ref="c-1234-000150")),
        ("CR:2026.05_01", LookupQuery(call_ref="CR:2026.05_01")),
        ("abc1", LookupQuery(call_ref="abc1")),
    ],
)
def test_parse_lookup(typed: str, query: LookupQuery) -> None:
    assert parse_lookup(typed, "GB") == query


@pytest.mark.parametrize(
    ("pasted", "query"),
    [
        ("07700\u00a0900972", LookupQuery(number="+447700900972")),  # no-break space
        ("+44\u20097700\u202f900972", LookupQuery(number="+447700900972")),  # thin spaces
        ("020\u20137946\u20130018", LookupQuery(number="+442079460018")),  # en dashes
        ("\u200b07700 900972\ufeff", LookupQuery(number="+447700900972")),  # zero-width
        ("\uff10\uff17\uff17\uff10\uff10 900972", LookupQuery(number="+447700900972")),
        ("\u0660\u0667\u0667\u0660\u0660 900972", LookupQuery(number="+447700900972")),
        ("\uff0b44 7700 900972", LookupQuery(number="+447700900972")),  # fullwidth plus
        ("c\u20110001", LookupQuery(call_ref="c-0001")),  # a non-breaking hyphen
    ],
)
def test_a_number_pasted_from_a_page_is_read_as_typed(pasted: str, query: LookupQuery) -> None:
    """Copied from a web page, an email or a CRM, a number brings other spaces, dashes
    and digits; it is the same number."""
    assert parse_lookup(pasted, "GB") == query
    if query.number is not None:
        assert normalize_number(pasted, "GB") == query.number
        assert query.number[1:] in number_needles(pasted, "GB")


def test_letters_of_other_scripts_are_still_letters() -> None:
    with pytest.raises(InvalidLookup) as caught:
        normalize_number("07700 9009\u0430\u0431", "GB")  # Cyrillic letters
    assert "has letters in it" in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("abc", "or a call reference"),  # no digit: a word, not a reference
        ("hello world", "or a call reference"),
        ("c1", "or a call reference"),  # too short for a reference
        ("1c-0001", "or a call reference"),  # a reference starts with a letter
        ("c-0001!", "or a call reference"),
        ("withheld", "the number is withheld"),
        ("", "enter a phone number"),
        ("123", "too short"),
    ],
)
def test_parse_lookup_refuses(typed: str, says: str) -> None:
    with pytest.raises(InvalidLookup) as caught:
        parse_lookup(typed, "GB")
    assert says in str(caught.value)


def test_call_ref_length_limit() -> None:
    assert parse_lookup("c" + "1" * 63, "GB").call_ref == "c" + "1" * 63
    with pytest.raises(InvalidLookup):
        parse_lookup("c" + "1" * 64, "GB")


def test_lookup_query_is_frozen() -> None:
    query = LookupQuery(call_ref="c-0001")
    with pytest.raises(dataclasses.FrozenInstanceError):
        query.call_ref = "c-0002"  # type: ignore[misc]
    assert query.number is None


@pytest.mark.parametrize(
    ("typed", "region", "needles"),
    [
        ("900972", "GB", ("900972",)),  # a fragment: as typed
        ("07700 900972", "GB", ("07700900972", "447700900972")),  # national: also as E.164
        ("+44 7700 900972", "GB", ("447700900972",)),
        ("(020) 7946 0999", "GB", ("02079460999", "442079460999")),
        ("07700 900972", None, ("07700900972",)),  # no region: as typed only
        ("Leo", "GB", ()),  # not a number
        ("c-0001", "GB", ()),
        ("  ", "GB", ()),
    ],
)
def test_number_needles(typed: str, region: str | None, needles: tuple[str, ...]) -> None:
    assert number_needles(typed, region) == needles


def test_a_region_the_config_got_wrong_is_blamed_not_the_number() -> None:
    with pytest.raises(InvalidLookup) as caught:
        normalize_number("07700 900972", "XX")
    assert "default_region 'XX' in the config file is not a region code" in str(caught.value)
    assert normalize_number("+44 7700 900972", "XX") == "+447700900972"  # a +code needs none


LIVE = ("c-1234-000007", "c-1234-000008")


@pytest.mark.parametrize(
    ("typed", "live", "asked"),
    [
        ("C-1234-000007", LIVE, "c-1234-000007"),  # a live call's, in another case
        ("c-1234-000007", LIVE, "c-1234-000007"),
        ("C-1234-000009", LIVE, "C-1234-000009"),  # no live call's: as typed
        ("C-7x", ("c-7x", "C-7X"), "C-7x"),  # two, told apart by case only: as typed
        ("c-7x", ("c-7x", "C-7X"), "c-7x"),  # one spelled as typed: that one
    ],
)
def test_a_typed_reference_takes_the_spelling_of_the_live_call_it_names(
    typed: str, live: tuple[str, ...], asked: str
) -> None:
    query = parse_lookup(typed, "GB")
    assert spelled_as_live(query, live) == LookupQuery(call_ref=asked)


def test_a_number_is_not_respelled() -> None:
    query = LookupQuery(number="+447700900123")
    assert spelled_as_live(query, LIVE) is query
