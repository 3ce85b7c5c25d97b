"""Monitoring the strategy by its three pillars: indicators, peers, a composite in the manner
of the Regional Innovation Scoreboard, targets and progress (see docs/monitoring.md)."""
from smartspec.strategy.monitoring.indicators import CATALOGUE, INDICATORS, PILLARS, indicator

__all__ = ["CATALOGUE", "INDICATORS", "PILLARS", "indicator"]
