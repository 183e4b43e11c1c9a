"""The two ways a polled piece is cut into heads and tails give the same cut (the same
lines and tails, heads told apart alike): the scanner in C (built at install where a
compiler is) and the compiled pattern. Compared on generated pieces (plain, and with
every way a tail can be not plain) and on hostile ones; the line reader's own tests run
both ways too (``each_cut`` in conftest.py). The scanner's keys are its own keyed hash:
equal heads share one, others do not, and another process draws other keys, with each
hash it can key them with (AES where the CPU has it, and the multiply-fold)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtdash.api import line_cut, line_plan, line_table, untrack
from rtdash.api.line_cut import Cut, cutter
from rtdash.core import row_order

needs_scanner = pytest.mark.skipif(line_cut.scanner is None, reason="the C scanner is not built")
#: the hashes the scanner can key heads with on this CPU (none without the scanner)
HASHES = line_cut.scanner.hashes() if line_cut.scanner is not None else ()


@pytest.fixture(params=HASHES or ("none",))
def each_hash(request: pytest.FixtureRequest) -> Iterator[str]:
    """The scanner keying heads with each of its hashes in turn, then as it was."""
    if line_cut.scanner is None:
        pytest.skip("the C scanner is not built")
    was = line_cut.scanner.use(request.param)
    try:
        yield request.param
    finally:
        line_cut.scanner.use(was)


KEYS = ("ringTime", "queueDuration", "bridgeDuration", "callDuration")


def accepted(cut: Cut | None) -> tuple[list[int], list[bytes], list[bytes]] | None:
    """What the line reader takes from a cut (None: it reads the piece whole). The
    keys as which lines share a head (each line's first line with its key): the two
    cuts key heads differently, but must tell them apart alike."""
    if cut is None:
        return None
    keys = cut.keys()
    everything = list(range(len(keys)))
    lines = cut.lines(everything)
    if lines is None:
        return None
    first: dict[int, int] = {}
    shared = [first.setdefault(key, index) for index, key in enumerate(keys)]
    return shared, lines, [cut.tail(index) for index in everything]


def both(piece: bytes, keys: tuple[str, ...] = KEYS) -> None:
    scanned = cutter(keys)(piece)
    patterned = cutter(keys, scan=False)(piece)
    assert scanned is None or type(scanned).__name__ == "ScannedCut"
    assert accepted(scanned) == accepted(patterned), piece


#: durations as the wire may write them: mostly plain, now and then not
PLAIN_DURATIONS = st.one_of(
    st.integers(-(10**11), 10**12 - 1).map(lambda n: str(n).encode()),
    st.text("0123456789", max_size=12).map(lambda s: b'"' + s.encode() + b'"'),
    st.just(b"null"),
)
ODD_DURATIONS = st.one_of(
    st.integers(-(10**13), 10**13).map(lambda n: str(n).encode()),
    st.text("0123456789", max_size=14).map(lambda s: b'"' + s.encode() + b'"'),
    st.sampled_from([b"nul", b"00", b"-", b"--1", b'"1', b"1e3", b"true", b"0x1", b"+1"]),
)


@st.composite
def durations(draw: st.DrawFn) -> bytes:
    odd = draw(st.integers(0, 19)) == 0
    return draw(ODD_DURATIONS if odd else PLAIN_DURATIONS)


#: bytes a head may hold, the tail's own words among them
HEAD_BITS = st.sampled_from(
    [
        b'"callRef":"c-1"',
        b"",
        b",",
        b":",
        b'"',
        b"}",
        b"{",
        b"\\",
        b"\r",
        b"null",
        b"7",
        b',"ringTime":1',
        b',"callDuration":"2"}',
        b"\xff\x00",
        b" ",
    ]
)


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    head = b"{" + b"".join(draw(st.lists(HEAD_BITS, max_size=6)))
    names = list(KEYS)
    if draw(st.integers(0, 29)) == 0:  # now and then a key missing, swapped or unknown
        names = draw(st.permutations([*names, "other"]))[: draw(st.integers(0, 5))]
    tail = b"".join(b',"' + name.encode() + b'":' + draw(durations()) for name in names)
    if draw(st.integers(0, 29)) == 0:
        tail = tail.replace(b",", b", ", 1)
    end = b"}" if draw(st.integers(0, 29)) else draw(st.sampled_from([b"} ", b"]", b""]))
    return head + tail + end


@st.composite
def pieces(draw: st.DrawFn) -> bytes:
    body = b""
    for line in draw(st.lists(lines(), max_size=8)):
        odd = draw(st.integers(0, 29)) == 0
        body += line + draw(st.sampled_from([b"\n\n", b"\r", b""] if odd else [b"\n", b"\r\n"]))
    if body and draw(st.booleans()):  # the last line with no line end
        body = body.rstrip(b"\n")
    return body


@needs_scanner
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces())
def test_the_scanner_cuts_what_the_pattern_cuts(piece: bytes) -> None:
    both(piece)


@needs_scanner
@given(pieces())
@settings(max_examples=300, deadline=None)
def test_with_no_durations_the_tail_is_the_closing_brace_both_ways(piece: bytes) -> None:
    both(piece, ())


PLAIN = (
    b'{"callRef":"c-1","ringTime":"3","queueDuration":12,"bridgeDuration":null,"callDuration":"15"}'
)


@needs_scanner
@pytest.mark.parametrize(
    "piece",
    [
        b"",
        b"\n",
        b"\n\n",
        PLAIN,
        PLAIN + b"\n",
        PLAIN + b"\r\n",
        PLAIN + b"\r",  # a bare carriage return at the end: no line end
        PLAIN + b"\n\n" + PLAIN + b"\n",  # a blank line between
        PLAIN + b"\n" + PLAIN[:-1] + b"\n",  # the second line cut short
        b"}" + b"\n",  # a line that is its closing brace alone
        PLAIN.replace(b'"3"', b'"' + b"9" * 12 + b'"'),  # twelve digits: the most
        PLAIN.replace(b'"3"', b'"' + b"9" * 13 + b'"'),  # thirteen: not plain
        PLAIN.replace(b"12", b"9" * 12),
        PLAIN.replace(b"12", b"9" * 13),
        PLAIN.replace(b"12", b"012"),  # a leading zero
        PLAIN.replace(b"12", b"-0"),
        PLAIN.replace(b"12", b"9" * 100_000),  # a run of digits far past any duration
        PLAIN.replace(b'"c-1"', b'"c-1,\\"ringTime\\":\\"3\\"}"'),  # the tail's words in a value
        b'{"ringTime":"3","queueDuration":12,"bridgeDuration":null,"callDuration":"15"}\n',
        b',"ringTime":"3","queueDuration":12,"bridgeDuration":null,"callDuration":"15"}\n',
        b'"ringTime":"3","queueDuration":12,"bridgeDuration":null,"callDuration":"15"}\n',
        (PLAIN + b"\n") * 3000,
    ],
)
def test_hostile_and_edge_pieces_cut_alike(piece: bytes) -> None:
    both(piece)


def test_the_scanner_keys_a_head_by_its_bytes_alone(each_hash: str) -> None:
    """Equal heads share a key wherever they lie in a piece; heads that differ by one
    byte (at every place, of every length to past three rounds of both hashes) or by
    their length do not."""
    scan = cutter(())
    heads = [b"", b"{"]
    for size in range(1, 100):
        base = bytes(range(65, 65 + size))
        heads.append(base)
        heads += [base[:at] + b"#" + base[at + 1 :] for at in range(size)]
        heads.append(base + b"\x00")
    cut = scan(b"".join(head + b"}\n" for head in heads))
    assert cut is not None
    keys = cut.keys()
    assert len(set(keys)) == len(set(heads)) == len(heads)
    shifted = scan(b"padding to move every line}\n" + b"".join(h + b"}\n" for h in heads))
    assert shifted is not None and shifted.keys()[1:] == keys


def test_no_two_of_many_similar_heads_share_a_key(each_hash: str) -> None:
    """A centre's heads: the same shape, a few digits apart."""
    heads = [
        b'{"callRef":"c-%06d","callState":"%s","queueRef":"q%d"' % (n, state, n % 7)
        for n in range(60_000)
        for state in (b"ringing", b"queueing")
    ]
    cut = cutter(())(b"".join(head + b"}\n" for head in heads))
    assert cut is not None and len(set(cut.keys())) == len(heads)


def test_the_scanner_s_keys_are_drawn_anew_by_each_process(each_hash: str) -> None:
    """Keys the upstream cannot know: the same head keys differently in another run."""
    code = (
        f"from rtdash.api.line_cut import cutter, scanner; scanner.use({each_hash!r});"
        'print(cutter(())(b\'{"callRef":"c-1"}\\n\').keys()[0])'
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(3)
    }
    assert len(runs) == 3


@needs_scanner
def test_the_scanner_keys_with_the_hash_it_is_told() -> None:
    """The hash in use is the first named; another gives other keys, and a name the
    scanner does not know (or a hash this CPU cannot run) is refused."""
    assert line_cut.scanner is not None
    scanner = line_cut.scanner
    piece = b'{"callRef":"c-1"}\n{"callRef":"c-2"}\n'
    first = scanner.hashes()[0]
    keys = {}
    for name in scanner.hashes():
        was = scanner.use(name)
        try:
            cut = cutter(())(piece)
            assert cut is not None
            keys[name] = cut.keys()
        finally:
            scanner.use(was)
        assert scanner.hashes()[0] == first
    assert len({tuple(found) for found in keys.values()}) == len(keys)
    with pytest.raises(ValueError, match="'aes' and 'multiply'"):
        scanner.use("sha256")
    with pytest.raises(TypeError):
        scanner.use(b"aes")  # type: ignore[arg-type]  # a str is refused when it is not one
    if "aes" not in scanner.hashes():
        with pytest.raises(ValueError, match="no AES"):
            scanner.use("aes")


@needs_scanner
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces(), st.binary(max_size=40), st.binary(max_size=40))
def test_a_part_of_a_piece_cuts_as_that_part_alone(
    piece: bytes, before: bytes, after: bytes
) -> None:
    """The scanner cuts ``piece[start:stop]`` where it lies, as it cuts a copy of it:
    the same keys and tails' chain, its offsets the piece's own, nothing outside read."""
    assert line_cut.scanner is not None
    keys = tuple(msgspec.json.encode(key) for key in KEYS)
    whole = before + piece + after
    start, stop = len(before), len(before) + len(piece)
    alone = line_cut.scanner.scan(piece, keys, 7)
    part = line_cut.scanner.scan(whole, keys, 7, start, stop)
    if alone is None:
        assert part is None
        return
    assert part is not None
    assert part[:2] == alone[:2]
    shifted = memoryview(part[2]).cast("q").tolist()
    assert shifted == [at + start for at in memoryview(alone[2]).cast("q").tolist()]


@needs_scanner
def test_the_scanner_refuses_a_part_outside_the_piece() -> None:
    assert line_cut.scanner is not None
    keys = tuple(msgspec.json.encode(key) for key in KEYS)
    for start, stop in ((-1, 3), (5, 4), (0, len(PLAIN) + 1)):
        with pytest.raises(ValueError):
            line_cut.scanner.scan(PLAIN, keys, 0, start, stop)
    assert line_cut.scanner.scan(PLAIN, keys, 0, 3, 3) is None  # nothing to cut


@needs_scanner
def test_the_scanner_takes_only_bytes() -> None:
    assert line_cut.scanner is not None
    with pytest.raises(TypeError):
        line_cut.scanner.scan(PLAIN.decode(), (b'"ringTime"',))
    with pytest.raises(TypeError):
        line_cut.scanner.scan(PLAIN, ('"ringTime"',))


def test_ci_builds_the_c_parts() -> None:
    """CI installs with a compiler: the C parts are what it tests (see .ci/run)."""
    if os.environ.get("RTDASH_SCANNER_REQUIRED") != "1":
        pytest.skip("only CI requires the C parts (a machine with no compiler does without)")
    assert line_cut.scanner is not None
    assert line_table.built is not None
    assert row_order.dropping is not None
    assert untrack.built is not None
    assert line_plan.built is not None


@pytest.mark.parametrize("scan", [True, False])
def test_the_tails_digest_is_the_same_however_a_body_comes_in_pieces(scan: bool) -> None:
    """An unchanged body is known by its tails' digest, whatever its pieces."""
    if scan and line_cut.scanner is None:
        pytest.skip("the C scanner is not built")
    lines = [PLAIN.replace(b"c-1", b"c-%d" % n) + b"\n" for n in range(40)]
    cut = cutter(KEYS, scan=scan)

    def digest(cuts: list[int], body: list[bytes]) -> bytes:
        tails = cut.new_tails()
        for start, stop in zip([0, *cuts], [*cuts, len(body)], strict=True):
            assert cut(b"".join(body[start:stop]), tails) is not None
        return tails.digest()

    whole = digest([], lines)
    assert digest([1, 17, 30], lines) == whole == digest([39], lines)
    ticked = [*lines[:-1], lines[-1].replace(b'"15"', b'"16"')]  # one duration on
    assert digest([], ticked) != whole
    counted = [line.replace(b'"15"', b'"%d"' % (100 + n)) for n, line in enumerate(lines)]
    swapped = [counted[1], counted[0], *counted[2:]]  # two tails in the other order
    assert digest([], swapped) != digest([], counted)
