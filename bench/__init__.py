"""Benchmarks: synthetic catalogues at territory scale and the timings of every hot path."""
