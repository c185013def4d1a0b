"""Explored paths: across every run on this machine, what has been seen, per phase."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, Tree

from exilegame.saves import Explored
from exilegame.story import Story, format_date

SEEN, UNSEEN = "✓", "○"


def coverage(story: Story, explored: Explored) -> tuple[int, int, int, int]:
    """(scenes seen, scenes, choices taken, choices) over the whole story."""
    keys = [c.key for s in story.scenes.values() for c in s.choices]
    seen_scenes = sum(1 for s in story.scenes if s in explored.scenes)
    taken = sum(1 for k in keys if k in explored.choices)
    return seen_scenes, len(story.scenes), taken, len(keys)


class ExploredScreen(ModalScreen[None]):
    """A tree: phases, their scenes (seen or not), each scene's choices (taken or not), endings.

    Unseen scenes and endings keep their text hidden, so the tree points at the unexplored
    branches without spoiling them.
    """

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,e,q", "close", "Close"),
    ]

    def __init__(self, story: Story, explored: Explored) -> None:
        super().__init__()
        self.story = story
        self.explored = explored

    def compose(self) -> ComposeResult:
        seen, scenes, taken, choices = coverage(self.story, self.explored)
        summary = (
            f"{self.explored.runs} run{'s' if self.explored.runs != 1 else ''} on this machine · "
            f"{seen}/{scenes} scenes seen · {taken}/{choices} choices taken · "
            f"{len(self.explored.endings)}/{len(self.story.endings)} endings reached"
        )
        with Vertical(classes="dialog -full"):
            yield Static("Explored paths", classes="dialog-title")
            yield Static(f"{summary}   ({SEEN} seen, {UNSEEN} not yet)", classes="dialog-hint")
            yield self._tree()

    def _tree(self) -> Tree[str]:
        story, explored = self.story, self.explored
        tree: Tree[str] = Tree(story.title, id="explored-tree")
        tree.show_root = False
        for phase in story.phases:
            ids = phase.scenes
            seen = sum(1 for s in ids if s in explored.scenes)
            span = f", {phase.span}" if phase.span else ""
            branch = tree.root.add(
                Text.assemble(
                    (f"{phase.title}{span}", "bold"), (f"  {seen}/{len(ids)} scenes", "dim")
                ),
                expand=seen > 0,
            )
            for scene_id in ids:
                scene = story.scenes[scene_id]
                if scene_id not in explored.scenes:
                    branch.add_leaf(Text(f"{UNSEEN} a scene not yet seen", style="dim italic"))
                    continue
                label = scene.title or story.places[scene.place].name
                node = branch.add(
                    Text.assemble(f"{SEEN} {label}", (f"  {format_date(scene.date)}", "dim")),
                    expand=any(c.key not in explored.choices for c in scene.choices),
                )
                if not scene.choices:
                    node.allow_expand = False
                for choice in scene.choices:
                    taken = choice.key in explored.choices
                    node.add_leaf(
                        Text(
                            f"{SEEN if taken else UNSEEN} {choice.text}",
                            style="" if taken else "italic",
                        )
                    )
        endings = tree.root.add(Text("Endings", style="bold"), expand=True)
        for ending in story.endings:
            count = explored.endings.get(ending.id, 0)
            if count:
                endings.add_leaf(f"{SEEN} {ending.title}  (reached {count}×)")
            else:
                endings.add_leaf(Text(f"{UNSEEN} an ending not yet reached", style="dim italic"))
        tree.root.expand()
        return tree

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_mount(self) -> None:
        self.query_one(Tree).focus()

    def action_close(self) -> None:
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)
