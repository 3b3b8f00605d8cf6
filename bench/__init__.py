"""Benchmarks: synthetic data at county, province and national scale; timings as ratios to baselines."""
