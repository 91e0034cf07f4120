"""Renderers: turn records and engine results into text for people (terminal) or machines (JSON)."""
