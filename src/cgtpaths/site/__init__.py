"""The static website (`cgtpaths site build`): every page precomputed by the engine, plus an
in-browser skills check fed by data this package exports. No server, no request to another site."""
