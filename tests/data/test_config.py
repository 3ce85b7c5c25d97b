"""Data directory resolution order and its error."""
import pytest

from smartspec.config import resolve_data_dir
from smartspec.errors import DataNotFoundError


def test_explicit_dir_wins(tmp_path, data_dir):
    assert resolve_data_dir(tmp_path) == tmp_path.resolve()


def test_env_var(monkeypatch, data_dir):
    monkeypatch.setenv("SMARTSPEC_DATA", str(data_dir))
    assert resolve_data_dir() == data_dir


def test_nonexistent_explicit_dir(tmp_path):
    with pytest.raises(DataNotFoundError, match="does not exist"):
        resolve_data_dir(tmp_path / "nope")


def test_error_lists_places(monkeypatch, tmp_path):
    import smartspec.config as config

    monkeypatch.setenv("SMARTSPEC_DATA", str(tmp_path))
    monkeypatch.setattr(config, "REPO_ROOT", tmp_path / "repo")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataNotFoundError) as e:
        resolve_data_dir()
    msg = str(e.value)
    assert "SMARTSPEC_DATA" in msg and "shared/data" in msg and "./data" in msg and "--data-dir" in msg
