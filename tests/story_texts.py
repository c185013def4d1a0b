"""A small valid two-phase story, as text, for tests that write variants of it.

Imported by name by tests and by tests/conftest.py (a module called `conftest` would be
ambiguous: tests/play/tui/conftest.py has that name too).
"""

MANIFEST = """\
title: Test story
id: test-story
roles:
  guard: {name: The guard, blurb: Watches the gate.}
  clerk: {name: The clerk, blurb: Keeps the papers.}
state:
  trust: {start: 0, label: Trust, show: true, min: 0, max: 3}
  warned: false
phases: [one, two]
sources:
  book: {author: A. Author, title: A Book, year: 1999}
people:
  host: {name: The Host, entry: Keeps the house., fate: Lived long.}
places:
  house: {name: The House, coords: [40.0, 29.0]}
endings:
  - id: trusted
    title: Trusted
    if: trust >= 2
    text: They trusted you.
  - id: plain
    title: Plain
    text: It ended.
"""

PHASE_ONE = """\
phase: one
title: One
span: "1929"
scenes:
  gate:
    date: 1929-02-12
    place: house
    people: [host]
    text: |
      A knock at the gate.
    choices:
      - text: Open the gate
        do: trust += 1
        go: hall
        note: The gate was opened.
        source: book
      - text: Keep it shut
        if: role == "guard"
        do: warned = true
        go: hall
        documented: false
  hall:
    date: 1929-02
    place: house
    text:
      - The hall is cold.
      - if: warned
        text: You kept the gate shut.
outcome:
  history: It happened so.
  yours:
    - if: warned
      text: You were careful.
    - text: You were there.
"""

PHASE_TWO = """\
phase: two
title: Two
scenes:
  road:
    date: 1930
    place: house
    text: The road.
    choices:
      - text: Walk on
        do: trust += 1
        go: inn
        documented: false
      - text: Turn back
        go: inn
        documented: false
  inn:
    date: 1930
    place: house
    text: The inn.
outcome:
  history: Then this.
"""
