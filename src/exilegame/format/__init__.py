"""Scene files to a Story: the format's declaration, the YAML reader, the loader and its cache.

Nothing here imports the engine, the saves or the interface: the format stands below them.
"""
