"""`exilegame new DIR`: write a small story that works, so an author starts from green.

The story uses one of each thing an author needs first (a role, a shown variable, a
conditional choice with an unconditional fallback, a conditional paragraph, a note with a
source, two endings), and it passes `exilegame check --strict` and `exilegame explore` with
no problem; tests hold it to that. A copy of the JSON Schema goes beside the files, and each
file names it in a `yaml-language-server` comment, so editors check it with no setup or
network.
"""

from __future__ import annotations

import json
from pathlib import Path

from exilegame.format.schema import SCHEMA_FILE, dumps

__all__ = ["write"]

MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"

MANIFEST = """\
# The manifest: the story's title, who the player can be, the variables, the phases in
# order, and the endings. Every key is explained in exilegame's docs/scene-format.md;
# an editor set up as in docs/editor-setup.md shows the same help on hover.
title: {title}
subtitle: A crossing, 1939

roles:
  traveller:
    name: The traveller
    blurb: You carry a letter that must not be read at the border.

state:
  courage: {{start: 1, label: Courage, show: true, min: 0, max: 3}}
  letter_hidden: false

phases: [border]

sources:
  example-1939:
    author: A. Historian
    title: The book your notes rest on
    year: 1939

people:
  guard:
    name: The guard
    entry: A tired man at the end of a long shift.
    fate: He kept the post until the war closed it.

places:
  crossing:
    name: The crossing
    country: Switzerland
    coords: [46.2, 6.1]
    entry: A barrier, a hut and a queue.

endings:
  - id: across
    title: Across
    if: letter_hidden
    text: The letter reached the other side unread.
  - id: turned-back
    title: Turned back
    text: The letter was read, and the road closed behind you.
"""

PHASE = """\
# A phase: its scenes, keyed by id. A choice's `go:` names the next scene; a scene with no
# choices ends the phase (and, in the last phase, the game).
phase: border
title: The border
span: "1939"
intro: The last week of August. Every train is full, and every traveller is a suspect.

scenes:
  queue:
    title: The queue
    date: 1939-08-30
    place: crossing
    people: [guard]
    text: |
      The queue moves one traveller at a time. The guard reads everything: tickets,
      passports, the labels on the suitcases.
    choices:
      - text: Hide the letter in your shoe
        do: letter_hidden = true; courage += 1
        go: desk
        note: Travellers of 1939 really did carry letters this way.
        source: example-1939
      - text: Keep the letter in your coat
        go: desk
        documented: false

  desk:
    title: The desk
    date: 1939-08-30
    place: crossing
    text:
      - The guard holds out his hand for your papers.
      - if: courage >= 2
        text: Your heart is quiet. The letter is where no one will look.
    choices:
      - text: Answer his questions calmly
        if: courage >= 2
        go: through
        documented: false
      - text: Stammer your answers
        go: through
        documented: false

  through:
    title: The other side
    date: 1939-08-30
    place: crossing
    text: The barrier lifts, or it does not. Either way the day is over.

outcome:
  history: |
    In the last days of August 1939 the borders of Europe closed one after another.
  yours:
    - if: letter_hidden
      text: You kept the letter hidden.
    - if: not letter_hidden
      text: You left the letter where anyone could find it.
"""

FILES = ("story.yaml", "border.yaml", SCHEMA_FILE)


def write(folder: Path, title: str | None = None) -> list[Path]:
    """Write the starter story into `folder` (created if needed); return the files written.

    Raises FileExistsError if `folder` exists and is not empty: nothing is overwritten.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = title or folder.resolve().name.replace("-", " ").replace("_", " ").title()
    texts = {
        "story.yaml": MODELINE + MANIFEST.format(title=json.dumps(name, ensure_ascii=False)),
        "border.yaml": MODELINE + PHASE,
        SCHEMA_FILE: dumps(),
    }
    written = []
    for filename in FILES:
        path = folder / filename
        path.write_text(texts[filename], encoding="utf-8")
        written.append(path)
    return written
