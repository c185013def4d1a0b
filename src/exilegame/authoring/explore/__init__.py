"""Play a story automatically, so authors find stuck runs and dead content before players do.

search.py       explore_random (N playthroughs per role) and explore_exhaustive (every
                state, as a graph)
abstraction.py  the state key: numbers between the same thresholds ahead are one state
slicing.py      the problem search's key: only what choice and ending conditions can read
roles.py        a condition as one role's states read it (its role tests decided)
compact.py      the problem search on compact states: one int a state, steps looked up
packing.py      how compact.py packs a state into one int
tally.py        what both searches count: scenes, choices, endings, findings
observe.py      what the player sees in a state; runs that prove two choices differ
analyses.py     the measures: inconsequential choices (observable futures), inert
                variables, gauge saturation
meter.py        the progress bar and peak memory
report.py       the Report, its located messages, and the text the command prints
"""

from __future__ import annotations

from exilegame.authoring.explore.analyses import inert_variables
from exilegame.authoring.explore.report import (
    Finding,
    Message,
    Report,
    Trail,
    format_report,
    messages,
)
from exilegame.authoring.explore.search import (
    MAX_STATES,
    MEASURE_STATES,
    RANDOM_MEASURE_STATES,
    explore_exhaustive,
    explore_random,
    trail_of,
)

__all__ = [
    "MAX_STATES",
    "MEASURE_STATES",
    "RANDOM_MEASURE_STATES",
    "Finding",
    "Message",
    "Report",
    "Trail",
    "explore_exhaustive",
    "explore_random",
    "format_report",
    "inert_variables",
    "messages",
    "trail_of",
]
