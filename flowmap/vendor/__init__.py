"""Procurement's vendor check: a candidate's documents, assessed on an overlay of the map that is never written."""
