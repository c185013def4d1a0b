"""Reading story.yaml's declarations and the first pass over the phase files.

`ManifestReader` reads the manifest's roles, variables, bibliography, people, places and
endings (the plain records generically, by their spec), and finds every phase file with its
scene ids, so that the second pass (`scenes`) can check references in any direction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from exilegame.expr import type_name
from exilegame.format import spec
from exilegame.format.scenes import SceneReader
from exilegame.format.shapes import nearest, yaml11_meaning
from exilegame.format.yamlsrc import MappingNode, Node, ScalarNode, describe, scalar_value, where
from exilegame.story import Ending, Variable

__all__ = ["MANIFEST", "ManifestReader", "RawPhase"]

MANIFEST = "story.yaml"
RawPhase = tuple[str, Path, dict[str, Node], list[tuple[str, Node, Node]]]
T = TypeVar("T")


class ManifestReader(SceneReader):
    """Reads the manifest's parts and the phase files' outlines."""

    root: Path

    def records(
        self, path: Path, node: Node | None, record: str, build: Callable[..., T]
    ) -> dict[str, T]:
        """A mapping of plain records keyed by id, each built as `build(id, **keys)`."""
        out: dict[str, T] = {}
        if node is None:
            return out
        what = {"role": "roles", "source": "sources", "person": "people", "place": "places"}
        for key, _, value in self.mapping(path, node, what.get(record, record)):
            f = self.record(path, value, record, f"the {record} '{key}'")
            # a record missing a required key was reported by `record`: not built
            if f is not None and all(x.name in f for x in spec.RECORDS[record] if x.required):
                out[key] = build(key, **self.fields(path, f, record))
        return out

    def value(self, path: Path, node: Node, what: str) -> bool | int | str | None:
        """A variable's start value: a number, true/false or text."""
        meant = yaml11_meaning(node)
        if meant is not None and isinstance(node, ScalarNode):
            self.error(
                path,
                node,
                f"{what} starts as `{node.value}`, a flag ({meant}) in old YAML 1.1 "
                "but text in YAML 1.2 and in editors",
                f'write `{meant}` for a flag, or "{node.value}" in quotes for text',
            )
            return meant == "true"  # declared as the flag it most likely is: no false errors
        start = scalar_value(node) if isinstance(node, ScalarNode) else None
        if isinstance(start, bool | str):
            return start
        if isinstance(start, int):
            return start if self.in_range(path, node, start, what) else None
        self.error(
            path,
            node,
            f"{what} should start as a number, true/false or text, not {describe(node)}",
            'e.g. `trust: 0`, `warned: false` or `papers: "trunk"`',
        )
        return None

    def variables(self, path: Path, node: Node | None) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        if node is None:
            return out
        for name, key, value in self.mapping(path, node, "state"):
            if name == "role" or name in ("true", "false", "True", "False"):
                self.error(path, key, f"'{name}' is a reserved word", "choose another name")
                continue
            if not name.isidentifier() or "-" in name:
                self.error(
                    path,
                    key,
                    f"the variable name '{name}' cannot be used in expressions",
                    f"use letters, digits and _ only, e.g. '{name.replace('-', '_')}'",
                )
                continue
            f: dict[str, Node] | None
            if isinstance(value, MappingNode):
                f = self.record(path, value, "variable", f"the variable '{name}'")
                if f is None or "start" not in f:
                    continue
                start_node = f["start"]
            else:
                f, start_node = {}, value
            start = self.value(path, start_node, f"the variable '{name}'")
            if start is None:
                continue
            v = self.fields(path, f, "variable", skip=("start",))
            low, high = v.get("min"), v.get("max")
            kind = type_name(start)
            if (low is not None or high is not None) and kind != "number":
                self.error(
                    path, f.get("min") or f.get("max"), "`min:` and `max:` are for numbers only"
                )
            elif (
                isinstance(start, int)
                and not isinstance(start, bool)
                and ((low is not None and start < low) or (high is not None and start > high))
            ):
                self.error(
                    path,
                    start_node,
                    f"the start value {start} is outside "
                    f"{low if low is not None else '...'}–"
                    f"{high if high is not None else '...'}",
                )
            out[name] = Variable(
                name=name,
                start=start,
                kind=kind,
                label=v.get("label", name),
                show=v.get("show", False),
                min=low,
                max=high,
                where=where(path, key),
            )
        return out

    def endings(self, path: Path, node: Node | None) -> list[Ending]:
        if node is None:
            return [Ending("end", "The end", ())]
        out: list[Ending] = []
        ids: set[str] = set()
        for item in self.sequence(path, node, "endings"):
            f = self.record(path, item, "ending", "an ending")
            if f is None:
                continue
            v = self.fields(path, f, "ending")
            eid = v.get("id") or "end"
            if eid in ids:
                self.error(path, f["id"], f"the ending '{eid}' is defined twice")
            ids.add(eid)
            at = where(path, f.get("id", item))
            out.append(Ending(eid, v.get("title", ""), v.get("text", ()), v.get("if"), at))
        if not out:
            return [Ending("end", "The end", ())]
        return out

    def phase_files(
        self, m: Path, phase_ids: list[tuple[str, Node]], refused: frozenset[str] = frozenset()
    ) -> list[RawPhase]:
        """First pass over the phase files: their shape and their scene ids.

        `refused` are names in `phases:` that are not ids (already reported): their files
        are not read, and references into them are not reported again.
        """
        root = self.root
        raw_phases: list[RawPhase] = []
        seen_phases: dict[str, Node] = {}
        unread: set[str] = set(refused)
        for phase_id, id_node in phase_ids:
            if phase_id in seen_phases:
                self.error(m, id_node, f"the phase '{phase_id}' is listed twice")
                continue
            seen_phases[phase_id] = id_node
            path = root / f"{phase_id}.yaml"
            if path in self.refused:  # a folder, a special or too large a file: reported
                unread.add(phase_id)
                continue
            if not path.is_file():
                others = [p.stem for p in root.glob("*.yaml") if p.name != MANIFEST]
                near = nearest(phase_id, others)
                self.error(
                    m,
                    id_node,
                    f"the phase '{phase_id}' has no file {path.name}",
                    f"did you mean '{near}'?" if near else f"create {path.name}",
                )
                unread.add(phase_id)
                continue
            phase_node = self.read(path)
            if phase_node is None:
                unread.add(phase_id)
                continue
            pf = self.record(path, phase_node, "phase", f"the phase file {path.name}")
            if pf is None:
                unread.add(phase_id)
                continue
            declared = self.ident(path, pf.get("phase"), "`phase:`")
            if declared is not None and declared != phase_id:
                self.error(
                    path,
                    pf["phase"],
                    f"this file is {path.name} but says `phase: {declared}`",
                    f"write `phase: {phase_id}`",
                )
            scenes = self.mapping(path, pf["scenes"], "scenes") if "scenes" in pf else []
            if "scenes" in pf and not scenes and isinstance(pf["scenes"], MappingNode):
                self.error(path, pf["scenes"], "the phase has no scenes")
            raw_phases.append((phase_id, path, pf, scenes))
        for extra in sorted(root.glob("*.yaml")):
            if extra in self.refused:
                continue
            if extra.name != MANIFEST and extra.stem not in seen_phases.keys() | refused:
                self.warn(
                    extra,
                    None,
                    f"{extra.name} is not listed in story.yaml's phases, so it is never played",
                    f"add '{extra.stem}' to `phases:` or move the file away",
                )
        self.unread_phases = frozenset(unread)
        return raw_phases
