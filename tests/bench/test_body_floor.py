"""The body-floor section: the share of a SCALE target taking the bytes in alone costs."""

from bench.body_floor import Floor, section


def test_the_section_gives_the_bytes_share_of_each_sizes_target() -> None:
    floors = [
        Floor(
            2_000,
            1_000_000,
            socket=[0.001] * 3,
            receive=[0.004, 0.003, 0.005],
            split=[0.001] * 3,
            rtdash=[0.008],
        ),
        Floor(
            50_000,
            26_000_000,
            socket=[0.006, 0.008, 0.007],
            receive=[0.050, 0.060, 0.055],
            split=[0.015] * 3,
            rtdash=[0.15],
        ),
    ]
    lines = section(floors, "python -m bench.body_floor", (0.5, 0.7))
    rows = [line for line in lines if line.startswith("| 2,000") or line.startswith("| 50,000")]
    assert rows[0] == "| 2,000 | 1.0 | 1.0 | 4.0 | 1.0 | 5.0 | 8.0 | — | — |"
    # the socket's median 7 ms of the 100 ms target at 50,000 calls
    assert rows[1] == "| 50,000 | 26.0 | 7.0 | 55.0 | 15.0 | 70.0 | 150.0 | 100 ms | 7% |"
    assert "load average 0.5 before, 0.7 after" in lines[2]
