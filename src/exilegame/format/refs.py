"""Cross-references: a value that names something declared elsewhere must name something.

`RefReader` knows what the manifest declared (roles, sources, people, places) and every
scene id of every phase, and checks the references scene files make to them: `go:` and the
manifest's `start:`, `place:`, `people:`, `role:` and `source:`. A miss is reported at the
reference with the nearest declared name, or where to declare it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exilegame.format.shapes import ShapeReader, nearest
from exilegame.format.yamlsrc import Node, ScalarNode, describe

__all__ = ["RefReader"]


class RefReader(ShapeReader):
    """Reads references and checks them against what the story declares."""

    def __init__(self, files: dict[Path, bytes] | None = None) -> None:
        super().__init__(files)
        self.scene_ids: frozenset[str] = frozenset()
        self.unread_phases: frozenset[str] = frozenset()  # listed, but their files did not read
        self.roles: dict[str, Any] = {}
        self.sources: dict[str, Any] = {}
        self.people: dict[str, Any] = {}
        self.places: dict[str, Any] = {}

    def scene_ref(self, path: Path, node: Node, what: str) -> str | None:
        """`scene` or `phase.scene` to the qualified id of a scene that exists."""
        if not isinstance(node, ScalarNode) or node.is_null:
            self.error(
                path,
                node,
                f"{what} should name a scene, not {describe(node)}",
                "write `scene` or `phase.scene`",
            )
            return None
        scope = self.compiler.scope
        qualified = scope.resolve_scene(node.value)
        if qualified is not None:
            return qualified
        phase = scope.phase
        local = [s.split(".", 1)[1] for s in self.scene_ids if s.startswith(phase + ".")]
        near = nearest(node.value, local) or nearest(node.value, self.scene_ids)
        if near:
            hint = f"did you mean '{near}'?"
        elif "." not in node.value:
            hint = "a scene in another phase is written `phase.scene`"
        else:
            hint = "check the spelling of the phase and the scene"
        self.error(path, node, f"there is no scene '{node.value}'", hint)
        return None

    def place_ref(self, path: Path, node: Node, what: str) -> str:
        place = self.ident(path, node, what) or ""
        if place and place not in self.places:
            near = nearest(place, self.places)
            self.error(
                path,
                node,
                f"the place '{place}' is not declared",
                f"did you mean '{near}'?" if near else "declare it under `places:` in story.yaml",
            )
        return place

    def role_ref(self, path: Path, node: Node, what: str) -> str:
        role = self.ident(path, node, what) or ""
        if role and role not in self.roles:
            near = nearest(role, self.roles)
            self.error(
                path,
                node,
                f"there is no role '{role}'",
                f"did you mean '{near}'?" if near else "the roles are: " + ", ".join(self.roles),
            )
        return role

    def person_refs(self, path: Path, node: Node, what: str) -> tuple[str, ...]:
        out = []
        for pid, pnode in self.ids(path, node, what):
            if pid not in self.people:
                near = nearest(pid, self.people)
                self.error(
                    path,
                    pnode,
                    f"the person '{pid}' is not declared",
                    f"did you mean '{near}'?"
                    if near
                    else "declare them under `people:` in story.yaml",
                )
            out.append(pid)
        return tuple(out)

    def source_refs(self, path: Path, node: Node, what: str) -> tuple[str, ...]:
        out = []
        for key, knode in self.ids(path, node, what):
            if key not in self.sources:
                near = nearest(key, self.sources)
                self.error(
                    path,
                    knode,
                    f"the source '{key}' is not in the bibliography",
                    f"did you mean '{near}'?" if near else "add it under `sources:` in story.yaml",
                )
            out.append(key)
        return tuple(out)
