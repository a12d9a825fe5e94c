"""Benchmarks and the synthetic ecosystem generator."""
