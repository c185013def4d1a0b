"""The problem search on compact states (authoring/explore/compact.py) and the per-role plan
(slicing.control_plan): the same states, findings and runs as the engine-State search with
the control key, and the same problems as a search over whole states."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_slicing import problems

from exilegame import engine
from exilegame.authoring.explore import compact, explore_exhaustive, packing, search, slicing
from exilegame.authoring.explore.report import Report
from exilegame.cli import main as cli_main
from exilegame.format.load import load_story
from exilegame.story import Story

STORIES = Path(__file__).resolve().parents[1] / "stories"
TIMINGS = ("elapsed", "peak_mb", "states_per_s", "cpu_s")


def whole_report(report: Report) -> dict[str, Any]:
    data = dataclasses.asdict(report)
    for name in TIMINGS:
        data.pop(name)
    return data


def spy_on_compact(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record each call of the compact search: a search that fell back to engine States
    would otherwise pass these comparisons with itself."""
    calls: list[int] = []
    real = compact.control_search

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compact, "control_search", counted)
    return calls


def on_engine_states(monkeypatch: pytest.MonkeyPatch, key: Any = None) -> None:
    """Search the problems with build_graph (engine States), under `key` (by default the
    same control key the compact search packs)."""
    monkeypatch.setattr(search, "control_key_for", key or (lambda s: slicing.control_key_for(s)))


@pytest.mark.parametrize("name", sorted(p.name for p in STORIES.iterdir() if p.is_dir()))
def test_compact_search_is_the_engine_search(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every field of the report (states, end states per ending, findings with their counts
    and shortest runs, the measures) is the same as build_graph's under the same key."""
    story = load_story(STORIES / name)
    bound = 2_000 if name == "loop" else 100_000  # loop: endless, both stop at the bound
    assert packing.supports(story)
    calls = spy_on_compact(monkeypatch)
    fast = explore_exhaustive(story, bound)
    assert calls
    on_engine_states(monkeypatch)
    slow = explore_exhaustive(story, bound)
    assert whole_report(fast) == whole_report(slow)


def test_emptied_tables_refill_to_the_same_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables are a cache, emptied when they grow (turns() makes every state's inputs
    new): emptied every 1,024 states, the search is the same."""
    story = load_story(STORIES / "loop")
    calls = spy_on_compact(monkeypatch)
    kept = explore_exhaustive(story, 5_000, measure=False)
    monkeypatch.setattr(compact, "CACHE_LIMIT", 1)
    emptied = explore_exhaustive(story, 5_000, measure=False)
    assert len(calls) == 2
    assert whole_report(emptied) == whole_report(kept)


# -- the per-role plan -------------------------------------------------------------------------

TWO_ROLES = {
    "story.yaml": """
title: Two roles
roles:
  clerk: {name: The clerk}
  guard: {name: The guard}
state:
  nerve: {start: 2, min: 0, max: 6}
  alarm: false
phases: [hall]
places:
  hall: {name: The hall}
endings:
  - id: calm
    title: Calm
    if: nerve >= 5
    text: Calm.
  - id: loud
    title: Loud
    if: alarm
    text: Loud.
  - id: plain
    title: Plain
    text: Plain.
""",
    "hall.yaml": """
phase: hall
title: The hall
scenes:
  door:
    date: 1930
    place: hall
    text: A door.
    choices:
      - text: Breathe
        if: role == "guard"
        do: nerve += 1
        go: stair
      - text: Fret
        if: role == "guard"
        do: nerve -= 1
        go: stair
      - text: File
        if: role == "clerk"
        go: stair
  stair:
    date: 1930
    place: hall
    text: A stair.
    choices:
      - text: Climb
        if: role == "guard"
        do: nerve += 1
        go: top
      - text: Stamp
        if: role == "clerk" and nerve >= 2
        do: nerve += 2
        go: top
      - text: Shout
        if: role == "clerk" and nerve < 2
        do: alarm = true
        go: top
  top:
    date: 1930
    place: hall
    text: The top.
    choices:
      - text: Wait
        if: role == "clerk"
        do: nerve += 1
        go: end
      - text: Rest
        go: end
  end:
    date: 1930
    place: hall
    text: The end.
outcome:
  history: It ended.
""",
}


def write(folder: Path, files: dict[str, str]) -> Story:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_story(folder)


def test_a_role_plans_without_the_choices_it_cannot_be_offered(tmp_path: Path) -> None:
    story = write(tmp_path, TWO_ROLES)
    plan, _ = slicing.control_plan(story)
    nerve = list(story.variables).index("nerve")
    thresholds = {role: dict(plan["hall.stair", role])[nerve] for role in story.roles}
    # The clerk's nerve only grows (Stamp +2, Wait +1): it never falls below its start, 2,
    # so `nerve >= 2` and `nerve < 2` tell nothing; `nerve >= 5` at the end needs 3 (+2)
    # or 4 (+1 by waiting). The guard climbs by 1 and can only rest after: 4 alone; the
    # clerk's tests (`role == "clerk" and nerve >= 2`) add nothing to the guard's.
    assert thresholds == {"clerk": (3, 4, 5), "guard": (4,)}
    assert dict(plan["hall.door", "guard"])[nerve] == (3, 5)  # Breathe +1 or Fret -1 first


def test_the_per_role_plan_finds_what_whole_states_find(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = write(tmp_path, TWO_ROLES)
    reduced = explore_exhaustive(story, measure=False)
    assert sorted(reduced.endings) == ["calm", "plain"]
    assert reduced.never_available == ["hall.stair:shout"]  # the clerk's nerve stays >= 2
    assert reduced.unreached_endings == ["loud"]
    on_engine_states(monkeypatch, lambda s: engine.state_key)
    whole = explore_exhaustive(story, measure=False)
    assert problems(reduced) == problems(whole)
    assert reduced.runs < whole.runs


@pytest.mark.parametrize(
    ("condition", "role", "read"),
    [
        (
            'role == "bodyguard" and archive >= 6 or archive >= 9 and saved',
            "bodyguard",
            "archive >= 6",
        ),
        (
            'role == "bodyguard" and archive >= 6 or archive >= 9 and saved',
            "secretary",
            "archive >= 9 and saved",
        ),
        ('saved and (role == "secretary" or vigilance >= 9)', "secretary", "saved"),
        ('role == "secretary" and vigilance >= 9', "bodyguard", False),
        ('not role == "secretary" or saved', "bodyguard", True),
        ("vigilance > 4 or 7 <= vigilance and saved", "bodyguard", "vigilance > 4"),
        (
            "vigilance >= 3 and saved or vigilance >= 5",
            "bodyguard",
            "vigilance >= 3 and saved or vigilance >= 5",
        ),
    ],
)
def test_a_condition_reads_less_once_the_role_is_known(
    condition: str, role: str, read: str | bool
) -> None:
    from exilegame.authoring.explore.roles import for_role
    from exilegame.expr import Compiled

    compiled = Compiled(condition, lambda v, s: True, frozenset(), frozenset(), frozenset(), False)
    found = for_role(compiled, role)
    assert (found if isinstance(found, bool) else found.source) == read


def test_a_story_that_divides_is_searched_on_engine_states(tmp_path: Path) -> None:
    """Whether a division fails may hang on a value the control key drops: such a story
    is searched on engine States, as before, and finds the fault."""
    files = dict(TWO_ROLES)
    files["hall.yaml"] = files["hall.yaml"].replace(
        'if: role == "clerk" and nerve < 2', "if: 4 // (nerve - 1) > 1"
    )
    story = write(tmp_path, files)
    assert not packing.supports(story)
    report = explore_exhaustive(story, measure=False)
    [fault] = report.findings
    assert fault.kind == "author-error" and "division by zero" in fault.detail
    assert fault.role == "guard"  # Fret: nerve 1 at the stair


# -- random stories: the reduction never merges states it must not --------------------------

ATOMS = [
    'role == "a"',
    'role == "b"',
    "g >= 2",
    "g > 3",
    "g < 3",
    "g == 4",
    "h >= 1",
    "f",
    "not f",
]
ENDINGS = [  # as the shipped endings: role tests, and an `or` whose second part implies the first
    'role == "a" and g >= 2 or g >= 4 and f',
    'f and (role == "b" or h >= 1)',
    "g < 2 or g < 1 and not f",
    "g >= 4 or g >= 2 and f",  # nothing to drop: the second does not imply the first
    "g < 1 or h >= 1 and g < 3",
    "h >= 1",
    'role == "b"',
    "g >= 3 and f",
]
EFFECTS = ["g += 1", "g -= 1", "g += 2", "h = 2", "h -= 1", "f = true", "f = false", "g = 1"]


@st.composite
def stories(draw: st.DrawFn) -> dict[str, str]:
    scenes = draw(st.integers(3, 7))
    body: dict[str, Any] = {}
    for n in range(scenes):
        choices = []
        if n < scenes - 1:
            for c in range(draw(st.integers(1, 3))):
                choice: dict[str, Any] = {
                    "text": f"Option {c}",
                    "go": f"s{draw(st.integers(n + 1, scenes - 1))}",
                }
                atoms = draw(st.lists(st.sampled_from(ATOMS), max_size=3))
                if atoms:
                    ops = [draw(st.sampled_from([" and ", " or "])) for _ in atoms[1:]]
                    choice["if"] = atoms[0] + "".join(
                        o + a for o, a in zip(ops, atoms[1:], strict=True)
                    )
                effects = draw(st.lists(st.sampled_from(EFFECTS), max_size=2))
                if effects:
                    choice["do"] = "; ".join(effects)
                choices.append(choice)
        scene: dict[str, Any] = {"date": 1930, "place": "here", "text": f"Scene {n}."}
        if choices:
            scene["choices"] = choices
        body[f"s{n}"] = scene
    endings = [
        {"id": f"e{i}", "title": f"E{i}", "if": condition, "text": "End."}
        for i, condition in enumerate(draw(st.lists(st.sampled_from(ENDINGS), max_size=3)))
    ]
    endings.append({"id": "last", "title": "Last", "text": "End."})
    manifest = {
        "title": "Random",
        "roles": {"a": {"name": "A"}, "b": {"name": "B"}},
        "state": {
            "g": {"start": draw(st.integers(0, 4)), "min": 0, "max": 4},
            "h": {"start": draw(st.integers(0, 2)), "min": 0, "max": 2},
            "f": draw(st.booleans()),
        },
        "phases": ["p"],
        "places": {"here": {"name": "Here"}},
        "endings": endings,
    }
    phase = {"phase": "p", "title": "P", "scenes": body, "outcome": {"history": "Done."}}
    return {"story.yaml": yaml.safe_dump(manifest), "p.yaml": yaml.safe_dump(phase)}


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(files=stories())
def test_reduced_search_finds_what_whole_states_find(tmp_path: Path, files: dict[str, str]) -> None:
    """On random two-role stories with a gauge, a small number, a flag, role tests and
    thresholds, the reduced compact search finds the same scenes, choices, endings, stuck
    runs and wrong-role visits, by the same shortest runs, as a search of whole states."""
    folder = tmp_path / str(abs(hash(json.dumps(files, sort_keys=True))))
    story = write(folder, files)
    reduced = explore_exhaustive(story, measure=False)
    with pytest.MonkeyPatch.context() as patch:
        on_engine_states(patch, lambda s: engine.state_key)
        whole = explore_exhaustive(story, measure=False)
    assert problems(reduced) == problems(whole)
    assert reduced.runs <= whole.runs


# -- what the report says about the search itself -------------------------------------------


def test_the_report_gives_rate_processor_time_and_peak_memory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = str(STORIES / "slicing")
    cli_main(["explore", folder, "--json", "--no-progress"])
    data = json.loads(capsys.readouterr().out)
    assert data["states_per_s"] > 0 and data["peak_mb"] > 0 and data["cpu_s"] > 0
    cli_main(["explore", folder, "--no-progress"])
    first = capsys.readouterr().out.splitlines()[0]
    assert "states/s, " in first and "s of processor time, peak memory " in first
