import os
import stat

import pytest
from newsframe import atomic


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_permissions_the_umask_allows(tmp_path):
    mask = os.umask(0o022)
    try:
        atomic._umask.cache_clear()
        written = atomic.write_text(tmp_path / "report.html", "<p>ok</p>")
    finally:
        os.umask(mask)
        atomic._umask.cache_clear()
    assert _mode(written) == 0o644  # readable by a web server, not private like a temporary file
    assert written.read_text() == "<p>ok</p>"


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "corpus.summary.json"
    path.write_text("{}")
    path.chmod(0o640)
    atomic.write_text(path, '{"read": 1}')
    assert _mode(path) == 0o640 and path.read_text() == '{"read": 1}'


def test_a_failed_write_leaves_the_old_file_and_no_scratch(tmp_path):
    path = tmp_path / "corpus.parquet"
    path.write_text("last good")

    def fail(scratch):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic.write_with(path, fail)
    assert path.read_text() == "last good" and [p.name for p in tmp_path.iterdir()] == ["corpus.parquet"]
