"""GraphQL object types, one module per subject."""
