"""Reading a phase file's contents: its scenes, their choices and prose, and its outcome.

`SceneReader` builds the model's Phase, Scene, Choice, Paragraph and Outcome from checked
records; every plain key is read by its kind's reader (spec.KINDS, through `fields`), so
only what is particular to scenes is written here: default choice ids, duplicate and
reserved ids, and `end: game`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import MemberDescriptorType
from typing import Any

from exilegame._record import draft
from exilegame.format.ids import choice_slug
from exilegame.format.refs import RefReader
from exilegame.format.shapes import nearest
from exilegame.format.yamlsrc import MappingNode, Node, ScalarNode, describe, where
from exilegame.story import (
    CONTINUE,
    Choice,
    Outcome,
    Paragraph,
    Phase,
    Scene,
    Variant,
    _LazyWhere,
)

__all__ = ["SceneReader"]

# Choices are the most numerous objects a story has: built as drafts (`_record.draft`: plain
# stores, then the class) while Choice has exactly these fields in slots and no
# __post_init__ (the result is the same object, field for field); else by calling Choice.
_CHOICE_FIELDS: tuple[str, ...] = ("id", "key", "text", "target", "condition", "effect")
_CHOICE_FIELDS += ("note", "sources", "show_locked", "documented", "where")
_FAST = (
    tuple(f.name for f in dataclasses.fields(Choice)) == _CHOICE_FIELDS
    and not hasattr(Choice, "__post_init__")
    and all(
        isinstance(vars(Choice).get(n), MemberDescriptorType)
        or (n == "where" and isinstance(vars(Choice).get(n), _LazyWhere))
        for n in _CHOICE_FIELDS
    )
)
_DRAFT_CHOICE = draft(Choice)


class SceneReader(RefReader):
    """Reads phases, scenes, choices, paragraphs and outcomes."""

    def phase(
        self,
        phase_id: str,
        path: Path,
        pf: dict[str, Node],
        scenes: list[tuple[str, Node, Node]],
        all_scenes: dict[str, Scene],
    ) -> Phase:
        """Second pass over one phase file: its scenes, start and outcome."""
        self.compiler.with_phase(phase_id)
        built = [self.scene(path, phase_id, sid, key, value) for sid, key, value in scenes]
        for scene in built:
            if scene is not None:
                all_scenes[scene.id] = scene
        local_ids = [sid for sid, _, _ in scenes]
        start_id = self.ident(path, pf.get("start"), "`start:`")
        if start_id is not None and start_id not in local_ids:
            near = nearest(start_id, local_ids)
            self.error(
                path,
                pf["start"],
                f"the start scene '{start_id}' is not in this phase",
                f"did you mean '{near}'?" if near else "",
            )
            start_id = None
        if start_id is None and local_ids:
            start_id = local_ids[0]
        v = self.fields(path, pf, "phase", skip=("phase", "start"))
        return Phase(
            id=phase_id,
            title=v.get("title", ""),
            start=f"{phase_id}.{start_id}",
            scenes=tuple(f"{phase_id}.{sid}" for sid in local_ids),
            outcome=self.outcome(path, pf.get("outcome")),
            span=v.get("span", ""),
            intro=v.get("intro", ""),
            path=path,
        )

    def scene(self, path: Path, phase: str, sid: str, key: Node, node: Node) -> Scene | None:
        f = self.record(path, node, "scene", f"the scene '{sid}'")
        if f is None:
            return None
        v = self.fields(path, f, "scene")
        choices = []
        choice_ids: dict[str, Node] = {}
        for item in self.sequence(path, f["choices"], "choices") if "choices" in f else []:
            choice = self.choice(path, phase, sid, item)
            if choice is None:
                continue
            if choice.id in choice_ids:
                first = choice_ids[choice.id].line + 1
                self.error(
                    path,
                    item,
                    f"two choices of this scene have the id '{choice.id}' "
                    f"(the other is on line {first})",
                    "give one of them a different `id:`",
                )
            elif choice.id == CONTINUE:
                self.error(
                    path,
                    item,
                    f"the choice id '{CONTINUE}' is reserved",
                    "give the choice another `id:`",
                )
            choice_ids[choice.id] = item
            choices.append(choice)
        ends_game = v.get("end", False)
        if ends_game and choices:
            self.error(
                path,
                f["end"],
                "`end: game` is only for a scene with no choices",
                "remove `end:` or the choices",
            )
        return Scene(
            id=f"{phase}.{sid}",
            local_id=sid,
            phase=phase,
            date=v.get("date", ""),
            place=v.get("place", ""),
            text=v.get("text", ()),
            choices=tuple(choices),
            title=v.get("title", ""),
            people=v.get("people", ()),
            role=v.get("role", ""),
            ends_game=ends_game,
            where=where(path, key),
        )

    def end(self, path: Path, node: Node, what: str) -> bool:
        """`end: game`, the only end there is."""
        if isinstance(node, ScalarNode) and node.value == "game":
            return True
        self.error(path, node, f"{what} should be `game`, not {describe(node)}")
        return False

    def paragraphs(self, path: Path, node: Node | None, what: str = "") -> tuple[Paragraph, ...]:
        if node is None:
            return ()
        if isinstance(node, ScalarNode):
            return (Paragraph(self.prose(path, node, "the text")),)
        out = []
        for item in self.sequence(path, node, "the text"):
            if isinstance(item, MappingNode):
                f = self.record(path, item, "paragraph", "a paragraph")
                if f is not None:
                    v = self.fields(path, f, "paragraph")
                    out.append(Paragraph(v.get("text", ""), v.get("if")))
            else:
                out.append(Paragraph(self.prose(path, item, "a paragraph")))
        return tuple(out)

    def choice(self, path: Path, phase: str, sid: str, node: Node) -> Choice | None:
        f = self.record(path, node, "choice", "a choice")
        if f is None:
            return None
        v = self.fields(path, f, "choice")
        text = v.get("text", "")
        cid = v.get("id") or choice_slug(text)
        if not _FAST:
            return Choice(
                id=cid,
                key=f"{phase}.{sid}:{cid}",
                text=text,
                target=v.get("go") or "",
                condition=v.get("if"),
                effect=v.get("do"),
                note=v.get("note", ""),
                sources=v.get("source", ()),
                show_locked=v.get("show_locked", False),
                documented=v.get("documented", True),
                where=where(path, node),
            )
        made: Any = _DRAFT_CHOICE()  # as Choice(...) makes it, without a call per field
        made.id, made.key, made.text = cid, f"{phase}.{sid}:{cid}", text
        made.target, made.condition, made.effect = v.get("go") or "", v.get("if"), v.get("do")
        made.note, made.sources = v.get("note", ""), v.get("source", ())
        made.show_locked, made.documented = v.get("show_locked", False), v.get("documented", True)
        made.where = where(path, node)
        made.__class__ = Choice
        choice: Choice = made
        return choice

    def outcome(self, path: Path, node: Node | None) -> Outcome:
        if node is None:
            return Outcome("")
        f = self.record(path, node, "outcome", "the outcome")
        if f is None:
            return Outcome("")
        yours = []
        for item in self.sequence(path, f["yours"], "`yours:`") if "yours" in f else []:
            v = self.record(path, item, "variant", "an outcome text")
            if v is not None:
                read = self.fields(path, v, "variant")
                yours.append(Variant(read.get("text", ""), read.get("if")))
        read = self.fields(path, f, "outcome")
        return Outcome(read.get("history", ""), tuple(yours), read.get("questions", ()))
