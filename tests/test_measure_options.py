"""The one options object of the measures (:class:`smartspec.measure_table.MeasureOptions`):
validated once with messages naming the option, the former names deprecated but working, and
``options=`` giving exactly what the keywords give (on the real SBS and trade data)."""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import smartspec
from smartspec.errors import InputError
from smartspec.measure_table import MeasureOptions, compute, compute_panel, pooled_proximity


@pytest.mark.parametrize("name, value, allowed", [
    ("convention", "atlas", "harvard-stata"),
    ("presence", "lq", "manual"),
    ("proximity", "pearson", "jaccard"),
    ("components", "all", "raise"),
    ("orientation", "gdp_per_head", "diversity"),
    ("scope", "local", "traded"),
    ("rca_threshold", 0, "> 0"),
    ("rca_threshold", float("nan"), "> 0"),
    ("rca_threshold", "1", "> 0"),
    ("knn", 0, ">= 1"),
    ("knn", 2.5, ">= 1"),
    ("proximity_by_year", "yes", "True or False"),
    ("density_includes_self", 1, "True or False"),
    ("presence_column", 3, "0/1 column"),
])
def test_a_bad_option_names_itself_its_value_and_what_is_allowed(name, value, allowed):
    with pytest.raises(ValueError) as err:
        MeasureOptions(**{name: value})
    text = str(err.value)
    assert isinstance(err.value, InputError)
    assert name in text and repr(value) in text and allowed in text, text


def test_defaults_are_declared_once_and_shared_by_measures():
    import inspect

    sig = inspect.signature(smartspec.measures).parameters
    for f in dataclasses.fields(MeasureOptions):
        assert sig[f.name].default is f.default, f.name
    assert MeasureOptions().includes_self is False and MeasureOptions(convention="harvard").includes_self is True
    assert MeasureOptions(convention="harvard", density_includes_self=False).includes_self is False


def test_options_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        MeasureOptions().convention = "harvard"


def test_options_object_gives_the_keywords_result(sbs):
    kw = dict(convention="harvard-stata", rca_threshold=1.2, proximity="cosine", knn=10, scope="all",
              orientation="diversity")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_keywords = smartspec.measures(sbs.panel, **kw)
        by_options = smartspec.measures(sbs.panel, options=MeasureOptions(**kw))
    pd.testing.assert_frame_equal(by_keywords, by_options)
    default = smartspec.measures(sbs.panel)
    assert not np.allclose(default["density"], by_options["density"])  # the options did change something


def test_options_and_keywords_together_is_an_error(sbs):
    with pytest.raises(TypeError, match="options= and the keyword"):
        smartspec.measures(sbs.panel, options=MeasureOptions(), convention="harvard")
    with pytest.raises(TypeError, match="MeasureOptions"):
        compute(sbs.panel, 2014, options={"convention": "harvard"})
    with pytest.raises(TypeError, match="unexpected keyword"):
        compute_panel(sbs.panel, conventoin="harvard")


def test_proximity_method_is_deprecated_not_broken(sbs):
    panel = sbs.panel
    with pytest.warns(FutureWarning, match=r"proximity_method=.*use proximity="):
        old = compute(panel, 2014, proximity_method="jaccard")
    new = compute(panel, 2014, options=MeasureOptions(proximity="jaccard"))
    np.testing.assert_array_equal(old.proximity, new.proximity)
    assert old.options["proximity"] == "jaccard"
    with pytest.warns(FutureWarning, match="proximity_method"):
        old_tidy = smartspec.measures(panel, proximity_method="jaccard")
    pd.testing.assert_frame_equal(old_tidy, smartspec.measures(panel, proximity="jaccard"))
    with pytest.raises(TypeError, match="only proximity="):
        smartspec.measures(panel, proximity_method="jaccard", proximity="cosine")


def test_pooled_proximity_follows_the_options(sbs):
    jaccard = pooled_proximity(sbs.panel, MeasureOptions(proximity="jaccard"))
    min_cp = pooled_proximity(sbs.panel)
    assert jaccard.shape == min_cp.shape and not np.allclose(jaccard, min_cp)
    # Jaccard C/(u_i + u_j - C) is never above min_cp C/max(u_i, u_j)
    assert (jaccard <= min_cp + 1e-12).all()


def test_module_is_not_hidden_by_the_function():
    import smartspec.measure_table as module

    assert smartspec.measures is module.measures
    from smartspec import measures

    assert measures is module.measures
