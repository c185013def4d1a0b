"""Read a scenes folder into a checked, immutable Story, reporting every error at once.

`load_story(folder)` returns the Story or raises LoadError holding every Problem found, each
with file, line, column and a hint. Loading never stops at the first error: a broken file is
skipped and the rest are still read, so an author sees the whole list in one go.

The work is split by job: `shapes` reads values by kind, `refs` checks cross-references,
`scenes` reads phase files' scenes and choices, `manifest` reads story.yaml's declarations
and finds the phase files; this module runs them in order and uses the cache.
"""

from __future__ import annotations

import gc
from pathlib import Path
from types import MappingProxyType

from exilegame.errors import LoadError, Problem
from exilegame.expr import Compiler, Scope
from exilegame.expr.thresholds import visit_limits
from exilegame.format import cache
from exilegame.format.files import read_folder
from exilegame.format.ids import choice_slug, suggest_id
from exilegame.format.manifest import MANIFEST, ManifestReader
from exilegame.format.shapes import normalise_prose
from exilegame.format.yamlsrc import MappingNode, Node, ScalarNode, SequenceNode
from exilegame.story import Person, Place, Role, Scene, Source, Story, long_lived

__all__ = ["MANIFEST", "choice_slug", "load_story", "load_with_problems", "normalise_prose"]


def load_story(folder: str | Path) -> Story:
    """Load and check a scenes folder; raise LoadError with every problem if it has errors."""
    story, problems = load_with_problems(folder)
    errors = [p for p in problems if p.severity == "error"]
    if errors or story is None:
        raise LoadError(errors)
    return long_lived(story)


def load_with_problems(
    folder: str | Path, use_cache: bool = True
) -> tuple[Story | None, list[Problem]]:
    """Load a scenes folder; return the Story (None if it has errors) and every problem.

    A story that loaded cleanly before, from the very same files, comes from the cache.
    """
    folder = Path(folder)
    files: dict[Path, bytes] = {}
    refused: dict[Path, Problem] = {}
    key = ""
    if folder.is_dir():
        files, refused = read_folder(folder)  # first: only regular files, of bounded size
        if use_cache and cache.enabled() and not refused:
            key = cache.files_key(folder, files)
            cached = cache.read(folder, key)
            if cached is not None:
                return cached
    loader = _Loader(folder, files, refused)
    # A large story makes hundreds of thousands of small objects, none of them cyclic garbage;
    # the cyclic collector would rescan them again and again (it doubled load times).
    collecting = gc.isenabled()
    gc.disable()
    try:
        story = loader.load()
    finally:
        if collecting:
            gc.enable()
    # a mistake in a merged (`<<: *name`) mapping is met once per merge: report it once
    problems = sorted(dict.fromkeys(loader.problems), key=lambda p: p.sort_key)
    if story is None or any(p.severity == "error" for p in problems):
        return None, problems
    if key:
        cache.write(folder, key, story, problems)
    return story, problems


class _Loader(ManifestReader):
    """One load of a story folder: builds the model from the checked pieces."""

    def __init__(
        self,
        root: Path,
        files: dict[Path, bytes] | None = None,
        refused: dict[Path, Problem] | None = None,
    ) -> None:
        super().__init__(files)
        self.refused = refused or {}
        self.root = root

    def load(self) -> Story | None:
        """The manifest, then the phase files' scene ids, then everything that refers to them."""
        root = self.root
        if not root.is_dir():
            self.problems.append(
                Problem(root, 0, 0, "no such folder", "give the folder that holds story.yaml")
            )
            return None
        self.problems.extend(self.refused.values())
        manifest_path = root / MANIFEST
        if manifest_path in self.refused:
            return None
        if not manifest_path.is_file():
            self.problems.append(
                Problem(
                    manifest_path,
                    0,
                    0,
                    "the folder has no story.yaml",
                    "a scenes folder needs a manifest; `exilegame new DIR` writes one",
                )
            )
            return None
        node = self.read(manifest_path)
        if node is None:
            return None
        fields = self.record(manifest_path, node, "manifest", "story.yaml")
        if fields is None:
            return None
        m = manifest_path
        v = self.fields(m, fields, "manifest", skip=("start", "epilogue"))
        title = v.get("title", "")
        subtitle = v.get("subtitle", "")
        story_id = v.get("id") or suggest_id(root.resolve().name, "story")
        roles = self.records(m, fields.get("roles"), "role", Role)
        if not roles and isinstance(fields.get("roles"), MappingNode):
            self.error(
                m,
                fields["roles"],
                "the story has no roles",
                "declare at least one: `roles: {reader: {name: The reader}}`",
            )
        variables = self.variables(m, fields.get("state"))
        sources = self.records(m, fields.get("sources"), "source", Source)
        people = self.records(m, fields.get("people"), "person", Person)
        places = self.records(m, fields.get("places"), "place", Place)
        phase_ids: list[tuple[str, Node]] = v.get("phases", [])
        if "phases" in fields and not phase_ids and isinstance(fields["phases"], SequenceNode):
            self.error(
                m,
                fields["phases"],
                "the story has no phases",
                "list at least one: `phases: [first]`, with a file first.yaml",
            )

        refused = _refused_ids(fields.get("phases"), phase_ids)
        raw_phases = self.phase_files(m, phase_ids, refused)
        scene_ids = frozenset(
            f"{pid}.{sid}" for pid, _, _, scenes in raw_phases for sid, _, _ in scenes
        )
        self.compiler = Compiler(
            Scope(
                MappingProxyType({n: v.kind for n, v in variables.items()}),
                MappingProxyType({n: (v.min, v.max) for n, v in variables.items()}),
                frozenset(roles),
                scene_ids,
                unread=self.unread_phases,
            )
        )
        self.scene_ids = scene_ids
        self.roles, self.sources, self.people, self.places = roles, sources, people, places

        all_scenes: dict[str, Scene] = {}
        phases = [self.phase(*raw, all_scenes) for raw in raw_phases]

        self.compiler.with_phase(phases[0].id if phases else "")
        start = phases[0].start if phases else ""
        if "start" in fields:
            start = self.scene_ref(m, fields["start"], "the start") or start
        endings = self.endings(m, fields.get("endings"))
        epilogue = self.paragraphs(m, fields.get("epilogue"))

        if any(p.severity == "error" for p in self.problems):
            return None
        self.compiler.finish()
        tracked = visit_limits(self.compiler.compiled())
        uses_turns = any(compiled.uses_turns for compiled in self.compiler.compiled())
        if any(p.severity == "error" for p in self.problems):
            return None
        return Story(
            id=story_id,
            title=title,
            subtitle=subtitle,
            start=start,
            roles=MappingProxyType(roles),
            variables=MappingProxyType(variables),
            phases=tuple(phases),
            scenes=MappingProxyType(all_scenes),
            sources=MappingProxyType(sources),
            people=MappingProxyType(people),
            places=MappingProxyType(places),
            endings=tuple(endings),
            epilogue=epilogue,
            root=root,
            fingerprint=self.digest.hexdigest()[:16],
            tracked_scenes=MappingProxyType(tracked),
            uses_turns=uses_turns,
            phase_index=MappingProxyType({p.id: i for i, p in enumerate(phases)}),
        )


def _refused_ids(node: Node | None, accepted: list[tuple[str, Node]]) -> frozenset[str]:
    """The names listed in `phases:` that were refused as ids (each reported once already)."""
    items = node.value if isinstance(node, SequenceNode) else [node]
    written = {n.value for n in items if isinstance(n, ScalarNode) and not n.is_null}
    return frozenset(written - {name for name, _ in accepted})
