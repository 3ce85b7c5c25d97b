"""Research and innovation organisations and matchmaking, from the Horizon 2020 records.

Where each concept lives:

* the registry of organisations placed in NUTS 2021 (``smartspec orgs build``):
  :mod:`smartspec.match.registry`;
* a region's R&I lens (participations by programme part, RCA, leading organisations):
  :mod:`smartspec.match.lens`;
* the co-participation network of organisations: :mod:`smartspec.match.network`;
* partner recommendation and its out-of-time backtest (``smartspec match-backtest``):
  :mod:`smartspec.match.recommend`.
"""
