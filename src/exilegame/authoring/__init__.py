"""Tools for writing stories: the checker, the explorer, the graph, the scaffold, live reload."""
