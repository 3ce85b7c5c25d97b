"""Reading the data: files, formats, names and classifications (no measures here).

Where each concept lives:

* the :class:`~smartspec.data.panel.Panel` (regions x activities x years, labels, missing
  cells, the default year): :mod:`smartspec.data.panel`;
* named datasets, the file each reads, their backtest designs (``BACKTESTS``), GDP per head
  and EU wages: :mod:`smartspec.data.datasets`; a user's own table (CSV, Parquet, Excel):
  :mod:`smartspec.data.generic`, with :mod:`smartspec.data.encoding` for text encodings;
* Eurostat files: :mod:`smartspec.data.eurostat` (TSV, SDMX-CSV) and
  :mod:`smartspec.data.update` (``smartspec data update``); input-output tables:
  :mod:`smartspec.data.io_tables`; networks of regions and the Regional Innovation
  Scoreboard: :mod:`smartspec.data.networks`;
* NUTS codes, versions, recoding, boundaries and neighbours: :mod:`smartspec.data.nuts`; the
  one name normaliser and resolver (``normalise_name``, ``NameIndex``, ``match_names``,
  ``resolve_region``): :mod:`smartspec.data.names`;
* activity labels (NACE, WIPO, SITC): :mod:`smartspec.data.labels`; traded and local NACE
  divisions: :mod:`smartspec.data.scope`; the one sign rule of ECI/PCI:
  :mod:`smartspec.data.orientation`;
* the content-keyed cache of parsed data and of results: :mod:`smartspec.data.cache`.
"""
