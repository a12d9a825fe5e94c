"""Getting facts into the map: seed files today; sub-processor lists, policies and manifests later."""
