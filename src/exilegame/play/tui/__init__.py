"""The Textual front end of exilegame; `app.main(args)` starts it (imported lazily by the CLI)."""
