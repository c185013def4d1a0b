"""Read a scenes folder into a checked, immutable Story, reporting every error at once.

`load_story(folder)` returns the Story or raises LoadError holding every Problem found, each
with file, line, column and a hint. Loading never stops at the first error: a broken file is
skipped and the rest are still read, so an author sees the whole list in one go.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from types import MappingProxyType

from exilegame.errors import LoadError, Problem
from exilegame.expr import Compiler, Scope, type_name
from exilegame.format import cache
from exilegame.format.shapes import ShapeReader, nearest, normalise_prose
from exilegame.format.yamlsrc import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    describe,
    scalar_value,
    where,
)
from exilegame.story import (
    CONTINUE,
    Choice,
    Ending,
    Outcome,
    Paragraph,
    Person,
    Phase,
    Place,
    Role,
    Scene,
    Source,
    Story,
    Variable,
    Variant,
)

MANIFEST = "story.yaml"
_RawPhase = tuple[str, Path, dict[str, Node], list[tuple[str, Node, Node]]]
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

__all__ = ["MANIFEST", "choice_slug", "load_story", "load_with_problems", "normalise_prose"]


def load_story(folder: str | Path) -> Story:
    """Load and check a scenes folder; raise LoadError with every problem if it has errors."""
    story, problems = load_with_problems(folder)
    errors = [p for p in problems if p.severity == "error"]
    if errors or story is None:
        raise LoadError(errors)
    return story


def load_with_problems(
    folder: str | Path, use_cache: bool = True
) -> tuple[Story | None, list[Problem]]:
    """Load a scenes folder; return the Story (None if it has errors) and every problem.

    A story that loaded cleanly before, from the very same files, comes from the cache.
    """
    folder = Path(folder)
    files: dict[Path, bytes] = {}
    key = ""
    if use_cache and cache.enabled() and folder.is_dir():
        try:
            files = {path: path.read_bytes() for path in folder.glob("*.yaml")}
        except OSError:
            files = {}
        else:
            key = cache.files_key(folder, files)
            cached = cache.read(folder, key)
            if cached is not None:
                return cached
    loader = _Loader(folder, files)
    # A large story makes hundreds of thousands of small objects, none of them cyclic garbage;
    # the cyclic collector would rescan them again and again (it doubled load times).
    collecting = gc.isenabled()
    gc.disable()
    try:
        story = loader.load()
    finally:
        if collecting:
            gc.enable()
    problems = sorted(loader.problems, key=lambda p: p.sort_key)
    if story is None or any(p.severity == "error" for p in problems):
        return None, problems
    if key:
        cache.write(folder, key, story, problems)
    return story, problems


def choice_slug(text: str) -> str:
    """The default id of a choice: its first five words, lower-cased, joined by hyphens."""
    return "-".join(w.lower() for w in _WORD_RE.findall(text)[:5]) or "choice"


class _Loader(ShapeReader):
    """One load of a story folder: builds the model from the checked pieces."""

    def __init__(self, root: Path, files: dict[Path, bytes] | None = None) -> None:
        super().__init__(files)
        self.root = root
        self.scene_ids: frozenset[str] = frozenset()
        self.refs: tuple[
            dict[str, Role], dict[str, Source], dict[str, Person], dict[str, Place]
        ] = ({}, {}, {}, {})

    def load(self) -> Story | None:
        """The manifest, then the phase files' scene ids, then everything that refers to them."""
        root = self.root
        if not root.is_dir():
            self.problems.append(
                Problem(root, 0, 0, "no such folder", "give the folder that holds story.yaml")
            )
            return None
        manifest_path = root / MANIFEST
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
        title = self.string(m, fields.get("title"), "the title")
        subtitle = self.string(m, fields.get("subtitle"), "the subtitle")
        story_id = self.ident(m, fields.get("id"), "the story id") or _slug(root.resolve().name)
        roles = self.roles(m, fields.get("roles"))
        variables = self.variables(m, fields.get("state"))
        sources = self.sources(m, fields.get("sources"))
        people = self.people(m, fields.get("people"))
        places = self.places(m, fields.get("places"))
        phase_ids = self.ids(m, fields.get("phases"), "phases")
        if "phases" in fields and not phase_ids and isinstance(fields["phases"], SequenceNode):
            self.error(
                m,
                fields["phases"],
                "the story has no phases",
                "list at least one: `phases: [first]`, with a file first.yaml",
            )

        raw_phases = self.phase_files(m, phase_ids)
        scene_ids = frozenset(
            f"{pid}.{sid}" for pid, _, _, scenes in raw_phases for sid, _, _ in scenes
        )
        self.compiler = Compiler(
            Scope(
                MappingProxyType({n: v.kind for n, v in variables.items()}),
                MappingProxyType({n: (v.min, v.max) for n, v in variables.items()}),
                frozenset(roles),
                scene_ids,
            )
        )
        self.scene_ids = scene_ids
        self.refs = (roles, sources, people, places)

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
        tracked: set[str] = set()
        uses_turns = False
        for compiled in self.compiler.compiled():
            tracked |= compiled.scenes
            uses_turns = uses_turns or compiled.uses_turns
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
            tracked_scenes=frozenset(tracked),
            uses_turns=uses_turns,
            phase_index=MappingProxyType({p.id: i for i, p in enumerate(phases)}),
        )

    def phase_files(self, m: Path, phase_ids: list[tuple[str, Node]]) -> list[_RawPhase]:
        """First pass over the phase files: their shape and their scene ids."""
        root = self.root
        raw_phases: list[tuple[str, Path, dict[str, Node], list[tuple[str, Node, Node]]]] = []
        seen_phases: dict[str, Node] = {}
        for phase_id, id_node in phase_ids:
            if phase_id in seen_phases:
                self.error(m, id_node, f"the phase '{phase_id}' is listed twice")
                continue
            seen_phases[phase_id] = id_node
            path = root / f"{phase_id}.yaml"
            if not path.is_file():
                others = [p.stem for p in root.glob("*.yaml") if p.name != MANIFEST]
                near = nearest(phase_id, others)
                self.error(
                    m,
                    id_node,
                    f"the phase '{phase_id}' has no file {path.name}",
                    f"did you mean '{near}'?" if near else f"create {path.name}",
                )
                continue
            phase_node = self.read(path)
            if phase_node is None:
                continue
            pf = self.record(path, phase_node, "phase", f"the phase file {path.name}")
            if pf is None:
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
            if extra.name != MANIFEST and extra.stem not in seen_phases:
                self.problems.append(
                    Problem(
                        extra,
                        0,
                        0,
                        f"{extra.name} is not listed in story.yaml's phases, so it is never played",
                        f"add '{extra.stem}' to `phases:` or move the file away",
                        "warning",
                    )
                )

        return raw_phases

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
        outcome = self.outcome(path, pf.get("outcome"))
        return Phase(
            id=phase_id,
            title=self.string(path, pf.get("title"), "the title"),
            start=f"{phase_id}.{start_id}",
            scenes=tuple(f"{phase_id}.{sid}" for sid in local_ids),
            outcome=outcome,
            span=self.string(path, pf.get("span"), "the span"),
            intro=self.prose(path, pf.get("intro"), "the intro"),
            path=path,
        )

    # -- manifest parts ----------------------------------------------------------------

    def roles(self, path: Path, node: Node | None) -> dict[str, Role]:
        roles: dict[str, Role] = {}
        if node is None:
            return roles
        for rid, _, value in self.mapping(path, node, "roles"):
            f = self.record(path, value, "role", f"the role '{rid}'")
            if f is not None:
                roles[rid] = Role(
                    rid,
                    self.string(path, f.get("name"), "the name", rid),
                    self.prose(path, f.get("blurb"), "the blurb"),
                )
        if not roles and isinstance(node, MappingNode):
            self.error(
                path,
                node,
                "the story has no roles",
                "declare at least one: `roles: {reader: {name: The reader}}`",
            )
        return roles

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
            start = scalar_value(start_node) if isinstance(start_node, ScalarNode) else None
            if not isinstance(start, bool | int | str) or isinstance(start, float):
                self.error(
                    path,
                    start_node,
                    f"the variable '{name}' should start as a number, "
                    f"true/false or text, not {describe(start_node)}",
                    'e.g. `trust: 0`, `warned: false` or `papers: "trunk"`',
                )
                continue
            low = self.integer(path, f.get("min"), "`min:`")
            high = self.integer(path, f.get("max"), "`max:`")
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
                label=self.string(path, f.get("label"), "the label", name),
                show=self.flag(path, f.get("show"), "`show:`", False),
                min=low,
                max=high,
                where=where(path, key),
            )
        return out

    def sources(self, path: Path, node: Node | None) -> dict[str, Source]:
        out: dict[str, Source] = {}
        if node is None:
            return out
        for key, _, value in self.mapping(path, node, "sources"):
            f = self.record(path, value, "source", f"the source '{key}'")
            if f is not None:
                out[key] = Source(
                    key,
                    self.string(path, f.get("author"), "the author"),
                    self.string(path, f.get("title"), "the title"),
                    self.string(path, f.get("year"), "the year"),
                    self.string(path, f.get("url"), "the url"),
                    self.prose(path, f.get("note"), "the note"),
                )
        return out

    def people(self, path: Path, node: Node | None) -> dict[str, Person]:
        out: dict[str, Person] = {}
        if node is None:
            return out
        for pid, _, value in self.mapping(path, node, "people"):
            f = self.record(path, value, "person", f"the person '{pid}'")
            if f is not None:
                out[pid] = Person(
                    pid,
                    self.string(path, f.get("name"), "the name"),
                    self.prose(path, f.get("entry"), "the entry"),
                    self.string(path, f.get("dates"), "the dates"),
                    self.prose(path, f.get("fate"), "the fate"),
                )
        return out

    def places(self, path: Path, node: Node | None) -> dict[str, Place]:
        out: dict[str, Place] = {}
        if node is None:
            return out
        for pid, _, value in self.mapping(path, node, "places"):
            f = self.record(path, value, "place", f"the place '{pid}'")
            if f is None:
                continue
            coords = None
            if "coords" in f:
                coords = self.coords(path, f["coords"])
            out[pid] = Place(
                pid,
                self.string(path, f.get("name"), "the name"),
                self.string(path, f.get("country"), "the country"),
                self.prose(path, f.get("entry"), "the entry"),
                coords,
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
            eid = self.ident(path, f.get("id"), "the ending id") or "end"
            if eid in ids:
                self.error(path, f["id"], f"the ending '{eid}' is defined twice")
            ids.add(eid)
            out.append(
                Ending(
                    eid,
                    self.string(path, f.get("title"), "the title"),
                    self.paragraphs(path, f.get("text")),
                    self.compile(path, f.get("if"), "if"),
                )
            )
        if not out:
            return [Ending("end", "The end", ())]
        return out

    # -- phase parts -------------------------------------------------------------------

    def scene_ref(self, path: Path, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.is_null:
            self.error(
                path,
                node,
                f"{what} should name a scene, not {describe(node)}",
                "write `scene` or `phase.scene`",
            )
            return None
        qualified = self.compiler.scope.resolve_scene(node.value)
        if qualified is not None:
            return qualified
        phase = self.compiler.scope.phase
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

    def scene(self, path: Path, phase: str, sid: str, key: Node, node: Node) -> Scene | None:
        f = self.record(path, node, "scene", f"the scene '{sid}'")
        if f is None:
            return None
        roles, _sources, people, places = self.refs
        place = self.ident(path, f.get("place"), "`place:`") or ""
        if place and place not in places:
            near = nearest(place, places)
            self.error(
                path,
                f["place"],
                f"the place '{place}' is not declared",
                f"did you mean '{near}'?" if near else "declare it under `places:` in story.yaml",
            )
        people_ids = []
        for pid, pnode in self.ids(path, f.get("people"), "`people:`"):
            if pid not in people:
                near = nearest(pid, people)
                self.error(
                    path,
                    pnode,
                    f"the person '{pid}' is not declared",
                    f"did you mean '{near}'?"
                    if near
                    else "declare them under `people:` in story.yaml",
                )
            people_ids.append(pid)
        role = self.ident(path, f.get("role"), "`role:`") or ""
        if role and role not in roles:
            near = nearest(role, roles)
            self.error(
                path,
                f["role"],
                f"there is no role '{role}'",
                f"did you mean '{near}'?" if near else "the roles are: " + ", ".join(roles),
            )
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
        end = f.get("end")
        ends_game = False
        if end is not None:
            if isinstance(end, ScalarNode) and end.value == "game":
                ends_game = True
                if choices:
                    self.error(
                        path,
                        end,
                        "`end: game` is only for a scene with no choices",
                        "remove `end:` or the choices",
                    )
            else:
                self.error(path, end, f"`end:` should be `game`, not {describe(end)}")
        return Scene(
            id=f"{phase}.{sid}",
            local_id=sid,
            phase=phase,
            date=self.date(path, f.get("date")),
            place=place,
            text=self.paragraphs(path, f.get("text")),
            choices=tuple(choices),
            title=self.string(path, f.get("title"), "the title"),
            people=tuple(people_ids),
            role=role,
            ends_game=ends_game,
            where=where(path, key),
        )

    def paragraphs(self, path: Path, node: Node | None) -> tuple[Paragraph, ...]:
        if node is None:
            return ()
        if isinstance(node, ScalarNode):
            return (Paragraph(self.prose(path, node, "the text")),)
        out = []
        for item in self.sequence(path, node, "the text"):
            if isinstance(item, MappingNode):
                f = self.record(path, item, "paragraph", "a paragraph")
                if f is not None:
                    out.append(
                        Paragraph(
                            self.prose(path, f.get("text"), "the text"),
                            self.compile(path, f.get("if"), "if"),
                        )
                    )
            else:
                out.append(Paragraph(self.prose(path, item, "a paragraph")))
        return tuple(out)

    def choice(self, path: Path, phase: str, sid: str, node: Node) -> Choice | None:
        f = self.record(path, node, "choice", "a choice")
        if f is None:
            return None
        text = self.string(path, f.get("text"), "the text")
        cid = self.ident(path, f.get("id"), "the choice id") if "id" in f else choice_slug(text)
        cid = cid or choice_slug(text)
        target = self.scene_ref(path, f["go"], "`go:`") if "go" in f else None
        _, sources, _, _ = self.refs
        keys = []
        for key, knode in self.ids(path, f.get("source"), "`source:`"):
            if key not in sources:
                near = nearest(key, sources)
                self.error(
                    path,
                    knode,
                    f"the source '{key}' is not in the bibliography",
                    f"did you mean '{near}'?" if near else "add it under `sources:` in story.yaml",
                )
            keys.append(key)
        return Choice(
            id=cid,
            key=f"{phase}.{sid}:{cid}",
            text=text,
            target=target or "",
            condition=self.compile(path, f.get("if"), "if"),
            effect=self.compile(path, f.get("do"), "do"),
            note=self.prose(path, f.get("note"), "the note"),
            sources=tuple(keys),
            show_locked=self.flag(path, f.get("show_locked"), "`show_locked:`", False),
            documented=self.flag(path, f.get("documented"), "`documented:`", True),
            where=where(path, node),
        )

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
                yours.append(
                    Variant(
                        self.prose(path, v.get("text"), "the text"),
                        self.compile(path, v.get("if"), "if"),
                    )
                )
        return Outcome(self.prose(path, f.get("history"), "the history"), tuple(yours))


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "story"
