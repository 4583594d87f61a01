"""Renderers: each turns the one Analysis into an output, computing nothing."""
