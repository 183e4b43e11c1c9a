"""Phone numbers and call references typed by a person, read into what the API expects.

The ``activeCall`` route matches ``srcPhoneNumber`` in E.164 only, while supervisors type
numbers the way they read them (``07700 900123``, ``+44 (0)20 3555 6780``). Everything
here turns that input into one exact query, or into one sentence that says what is
wrong, before any request is made: a lookup that can never match should not cost a
round trip or look like "no such caller".

No Textual import: the CLI and the TUI's lookup modal share these rules.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rtdash.constants import EXAMPLE_CALL_REF

if TYPE_CHECKING:
    from phonenumbers import NumberParseException

# phonenumbers (its metadata is a large share of a start) is imported by the functions
# that read a number: the first frame of the dashboard needs none of them.

#: what a person types for a phone number: digits and the usual punctuation
_PHONE_CHARS = re.compile(r"^[0-9 +()\-.]+$")
#: an upstream call reference such as ``c-1234-000070`` (a letter first, no spaces)
_CALL_REF = re.compile(r"^[A-Za-z][A-Za-z0-9._:-]{2,63}$")
#: words a PBX shows instead of a number; there is nothing to look up
_WITHHELD_WORDS = {"anonymous", "withheld", "private", "restricted", "unknown", "unavailable"}

#: dashes and a plus sign a page or a document may hold for the ASCII ones
_LOOKALIKES = str.maketrans(
    dict.fromkeys("‐‑‒–—―−﹣－", "-") | {"＋": "+", "﹢": "+", "（": "(", "）": ")", "．": "."}
)

ACCEPTED = (
    "enter a phone number (e.g. 07700 900123 or +44 7700 900123) or a call reference "
    f"(e.g. {EXAMPLE_CALL_REF})"
)


class InvalidLookup(ValueError):
    """Input that cannot become a lookup; ``str()`` is one sentence for the user."""


@dataclass(frozen=True, slots=True)
class LookupQuery:
    """Exactly one of ``call_ref`` or ``number`` (E.164) is set."""

    call_ref: str | None = None
    number: str | None = None


def typed(text: str) -> str:
    """What a person meant to type, as ASCII where it matters: a number copied from a
    web page, an email or a CRM brings non-breaking or thin spaces, en dashes,
    zero-width marks and digits of other scripts (fullwidth, Arabic-Indic), which
    would otherwise be refused as "not a phone number" while shown as one."""
    if text.isascii():
        return text.strip()
    kept = []
    for char in text.translate(_LOOKALIKES):
        if char.isspace():
            kept.append(" ")
        elif char.isdecimal():
            kept.append(str(unicodedata.decimal(char)))
        elif unicodedata.category(char) != "Cf":  # zero-width spaces, joiners, BOM
            kept.append(char)
    return "".join(kept).strip()


def normalize_number(text: str, default_region: str) -> str:
    """E.164 for a typed number; ``default_region`` applies when there is no ``+code``.

    A number is accepted when its length is *possible* for its country, not only when
    libphonenumber knows the range is allocated: reserved ranges (Ofcom's 07700 900xxx)
    and newly opened ones must still be searchable. Raises :class:`InvalidLookup`.
    """
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

    raw = typed(text)
    if not raw:
        raise InvalidLookup("enter a phone number (e.g. 07700 900123 or +44 7700 900123)")
    _reject_withheld(raw)
    if any(ch.isalpha() for ch in raw):
        raise InvalidLookup(f"{_shown(raw)} has letters in it: a phone number is digits only")
    if not _PHONE_CHARS.match(raw):
        raise InvalidLookup(f"{_shown(raw)} is not a phone number: use digits, spaces and +()-.")
    region = default_region.upper()
    if "+" not in raw and region not in phonenumbers.SUPPORTED_REGIONS:
        # the number is read in the configured region, and that is no region at all:
        # "no known country code" would blame what the person typed
        raise InvalidLookup(
            f"{_shown(raw)} has no +country code, and default_region {region!r} in the "
            "config file is not a region code (GB, US, …): type the +code, or fix it"
        )
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException as exc:
        raise InvalidLookup(_parse_failure(raw, exc)) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != ValidationResult.IS_POSSIBLE and not phonenumbers.is_valid_number(number):
        raise InvalidLookup(_impossible(raw, reason))
    if not number.national_number:
        raise InvalidLookup(f"{_shown(raw)} is not a valid phone number")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=8192)
def format_international(raw: str | None) -> str | None:
    """``+447700900123`` → ``+44 7700 900123`` for display; anything else unchanged.

    Redacted values (``+4477******``), national numbers and PBX words pass through as
    sent, so a display never invents digits or hides what the upstream said. Cached:
    the same callers come back on every poll, and parsing one costs ~70 µs (at 2,000
    calls that was most of a poll's cost).
    """
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat

    if raw is None:
        return None
    candidate = raw.strip()
    if not candidate.startswith("+") or not _PHONE_CHARS.match(candidate):
        return raw
    try:
        number = phonenumbers.parse(candidate, None)
    except NumberParseException:
        return raw
    if not phonenumbers.is_possible_number(number):
        return raw
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def parse_lookup(text: str, default_region: str) -> LookupQuery:
    """Read the lookup box, which takes either a phone number or a call reference.

    Phone-looking input (digits and ``+()-.`` only) is a number; a token that starts with
    a letter and holds at least one digit (``c-1234-000070``) is a call reference.
    Requiring a digit keeps words such as "withheld" or a name typed by mistake out of
    the API.
    """
    raw = typed(text)
    if not raw:
        raise InvalidLookup(ACCEPTED)
    if _PHONE_CHARS.match(raw):
        return LookupQuery(number=normalize_number(raw, default_region))
    _reject_withheld(raw)
    if _CALL_REF.match(raw) and any(ch.isdigit() for ch in raw):
        return LookupQuery(call_ref=raw)
    raise InvalidLookup(f"{_shown(raw)} is neither: {ACCEPTED}")


def spelled_as_live(query: LookupQuery, live_refs: Iterable[str]) -> LookupQuery:
    """A typed call reference in the spelling of the live call it names.

    People type references as they read them off a screen or a ticket, in any case
    ("C-0001" for ``c-0001``), while the upstream matches ``callRef`` exactly: the
    reference of a call on the dashboard now, typed in another case, found nothing.
    One live reference equal to it but for case is taken as meant; none, or more than
    one (``c-7`` and ``C-7``, which only the case tells apart), leave it as typed.
    A number, and a reference already spelled as a live call's, are kept as they are.
    """
    typed_ref = query.call_ref
    if typed_ref is None:
        return query
    folded = typed_ref.casefold()
    matches = set()
    for ref in live_refs:
        if ref == typed_ref:
            return query
        if ref.casefold() == folded:
            matches.add(ref)
    if len(matches) == 1:
        return LookupQuery(call_ref=matches.pop())
    return query


def number_needles(text: str, default_region: str | None) -> tuple[str, ...]:
    """A filter typed as a phone number, as digits to look for in E.164 numbers: as
    typed (a fragment such as ``900972``), and as the whole number it reads as in the
    default region (``07700 900972`` is ``447700900972``, which no E.164 number holds
    as typed). Not a phone number: nothing."""
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

    raw = typed(text)
    digits = re.sub(r"\D", "", raw)
    if not digits or not _PHONE_CHARS.match(raw):
        return ()
    needles = [digits]
    if default_region is not None:
        try:
            number = phonenumbers.parse(raw, default_region)
        except NumberParseException:
            pass
        else:  # a fragment may parse too ("900972"): only a whole number counts
            if phonenumbers.is_possible_number_with_reason(number) == ValidationResult.IS_POSSIBLE:
                needles.append(phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:])
    return tuple(dict.fromkeys(needles))


def _reject_withheld(raw: str) -> None:
    if raw.lower() in _WITHHELD_WORDS:
        raise InvalidLookup(f"the number is {raw.lower()}: there is nothing to look up")


def _parse_failure(raw: str, exc: NumberParseException) -> str:
    from phonenumbers import NumberParseException

    if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return f"{_shown(raw)} does not start with a known country code"
    if exc.error_type in (
        NumberParseException.TOO_SHORT_NSN,
        NumberParseException.TOO_SHORT_AFTER_IDD,
    ):
        return f"{_shown(raw)} is too short to be a phone number"
    if exc.error_type == NumberParseException.TOO_LONG:
        return f"{_shown(raw)} is too long to be a phone number"
    return f"{_shown(raw)} is not a phone number"


def _impossible(raw: str, reason: int) -> str:
    from phonenumbers import ValidationResult

    if reason == ValidationResult.TOO_SHORT:
        return f"{_shown(raw)} is too short to be a phone number"
    if reason == ValidationResult.TOO_LONG:
        return f"{_shown(raw)} is too long to be a phone number"
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return f"{_shown(raw)} does not start with a known country code"
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return f"{_shown(raw)} needs its area code"
    return f"{_shown(raw)} is not a valid phone number"


def _shown(raw: str, limit: int = 40) -> str:
    """The user's input, quoted and cut short, so a message stays one readable line."""
    one_line = " ".join(raw.split())
    return repr(one_line if len(one_line) <= limit else one_line[:limit] + "…")
