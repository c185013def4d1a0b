"""The TUI's screens, one per module, imported lazily (only the title screen at start)."""
