"""Pure Python, no I/O: the map's vocabulary (models, countries, categories, mechanisms)."""
