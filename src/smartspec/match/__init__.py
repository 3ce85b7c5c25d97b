"""Research and innovation organisations and matchmaking, from the Horizon 2020 records.

Where each concept lives:

* the registry of organisations placed in NUTS 2021 (``smartspec orgs build``):
  :mod:`smartspec.match.registry`;
* a region's R&I lens (participations by programme part, RCA, leading organisations):
  :mod:`smartspec.match.lens`;
* competence profiles (name, sector, ERC grants, programme parts) and the ERC text check:
  :mod:`smartspec.match.profiles`, :mod:`smartspec.match.text_check`;
* firms' sectors from the JRC-OECD top R&D investors: :mod:`smartspec.match.sectors`;
* the Italian -> English S3 glossary: :mod:`smartspec.match.glossary`;
* matchmaking (``smartspec match``, also for an opportunity of the strategy) and the
  triple-helix consortium: :mod:`smartspec.match.matchmaking`;
* the co-participation network of organisations: :mod:`smartspec.match.network`;
* partner recommendation and its out-of-time backtest (``smartspec match-backtest``):
  :mod:`smartspec.match.recommend`.
"""
