"""Other tools' formats: fideslang manifests in and out, and the map as GraphML, node-link JSON or a Cypher script."""
