"""Playing a story: the session (a run, its autosave and explored record), line mode, the TUI."""
