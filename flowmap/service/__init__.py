"""Application services shared by the API and the CLI: a cached view of the map, assessments, and edits."""
