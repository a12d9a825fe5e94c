"""Reading vendor documents into draft facts, offline and deterministically (issue 6)."""
