"""The TUI's widgets, one per module; each reads the engine and posts messages up."""
