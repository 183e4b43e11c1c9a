"""Installation names: the config's, else the first name the service gives, else the
number; upstream text is tidied; a listener hears of a change once."""

from __future__ import annotations

from rtdash.core.naming import MAX_NAME, InstallationNames, clean_name, label_for


def test_a_configured_name_wins_over_the_services() -> None:
    names = InstallationNames()
    heard: list[tuple[int, str]] = []
    names.subscribe(lambda igrp, label: heard.append((igrp, label)))
    names.configure(1234, "Head office")
    assert names.label(1234) == "Head office (1234)"
    assert names.learn(1234, "Northwind Contact Centre") is False
    assert names.label(1234) == "Head office (1234)" and heard == []


def test_the_first_name_seen_sticks() -> None:
    names = InstallationNames()
    heard: list[tuple[int, str]] = []
    names.subscribe(lambda igrp, label: heard.append((igrp, label)))
    assert names.label(5678) == "installation 5678"
    assert names.learn(5678, None) is False and names.learn(5678, "  ") is False
    assert names.learn(5678, "Harbour Lettings") is True
    assert names.learn(5678, "Another name") is False
    assert names.label(5678) == "Harbour Lettings (5678)"
    assert heard == [(5678, "Harbour Lettings (5678)")]
    assert names.learn(None, "No number") is False


def test_upstream_names_are_one_tidy_line() -> None:
    assert clean_name("North\nwind\x1b[31m  Centre\t") == "North wind [31m Centre"
    long = clean_name("x" * 100)
    assert long is not None and len(long) == MAX_NAME and long.endswith("…")
    assert label_for(1, None) == "installation 1"
