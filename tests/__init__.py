"""The test suite. A package, so that `tests` here wins over the stray top-level `tests` package
some wheels install (textstat 0.7 ships one).
"""
