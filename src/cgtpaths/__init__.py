"""cgtpaths: careers in UK cell and gene therapy, from where you are to where you could be."""

__version__ = "0.1.0"
