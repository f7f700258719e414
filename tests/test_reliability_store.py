"""Issue 14: concurrency and store faults give one coded line each and leave nothing partial."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.engine import analyze
from storyline.errors import Codes, StoreError
from storyline.store import open_store


def _one_coded_line(capsys, code: str) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and code in err[0] and "Traceback" not in err[0], err
    return err[0]


def test_a_second_writer_is_refused_clearly_not_raced(tmp_path, sample_dir, nlp):
    db = str(tmp_path / "t.db")
    with open_store(db) as first, first.writer():
        with open_store(db) as second:
            with pytest.raises(StoreError) as err:
                analyze([str(sample_dir)], second, nlp=nlp)
            assert err.value.code == Codes.E306
            assert second.count("articles") == 0


def test_a_waiting_writer_goes_on_when_the_first_is_done(tmp_path):
    db = str(tmp_path / "t.db")
    with open_store(db) as first:
        with first.writer():
            pass
        with open_store(db) as second, second.writer(wait_s=1):
            pass


def test_export_reads_one_snapshot(sample_db, tmp_path):
    db = tmp_path / "s.db"
    shutil.copy(sample_db, db)
    with open_store(str(db)) as reader, reader.snapshot():
        before = reader.count("articles")
        with sqlite3.connect(db) as w:  # another process writing meanwhile
            w.execute("DELETE FROM articles WHERE seq = (SELECT MAX(seq) FROM articles)")
        assert reader.count("articles") == before
        ids = {a["id"] for a in reader.articles()}
        assert {q["article"] for q in reader.records("quotes")} <= ids
    with open_store(str(db)) as after:
        assert after.count("articles") == before - 1


def test_a_damaged_database_is_one_coded_line(sample_db, tmp_path, capsys):
    db = tmp_path / "d.db"
    shutil.copy(sample_db, db)
    data = bytearray(db.read_bytes())
    for off in range(4096 * 2, len(data), 4096):  # scribble over every page but the header
        data[off + 100: off + 600] = os.urandom(500)
    db.write_bytes(bytes(data))
    rc_export = main(["export", "--db", str(db)])
    line = _one_coded_line(capsys, "E30")
    assert rc_export == 1 and "BRANNOCK" not in line
    rc = main(["analyze", str(tmp_path / "none"), "--db", str(db), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and err and len(err) == 1 and "E303" in err[0], err



def _mount_tmpfs(where: Path, size: str, options: str = "") -> bool:
    where.mkdir()
    opts = f"size={size}" + (f",{options}" if options else "")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True)
    return r.returncode == 0


@pytest.fixture()
def mounts():
    made = []
    yield made
    for m in made:
        subprocess.run(["umount", "-l", str(m)], capture_output=True)


def test_a_full_disk_is_one_coded_line_and_keeps_the_earlier_export(tmp_path, sample_db, sample_dir, capsys, mounts):
    small = tmp_path / "small"
    if not _mount_tmpfs(small, "600k"):
        pytest.skip("cannot mount a tmpfs here (needs root and mount permission)")
    mounts.append(small)
    (small / "out.json").write_text('{"earlier": true}')
    rc = main(["export", "--db", str(sample_db), "-o", str(small / "out.json")])
    assert rc == 1
    _one_coded_line(capsys, Codes.E307)
    assert (small / "out.json").read_text() == '{"earlier": true}'  # not truncated
    assert [p.name for p in small.iterdir()] == ["out.json"]  # no temporary left
    rc = main(["analyze", str(sample_dir), "--db", str(small / "t.db"), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and err and all(Codes.E304 in ln or Codes.E301 in ln for ln in err), err


def test_a_read_only_place_is_one_coded_line(tmp_path, sample_db, capsys, mounts):
    ro = tmp_path / "ro"
    if not _mount_tmpfs(ro, "8m"):
        pytest.skip("cannot mount a tmpfs here (needs root and mount permission)")
    mounts.append(ro)
    shutil.copy(sample_db, ro / "s.db")
    subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
    rc = main(["analyze", str(tmp_path / "none"), "--db", str(ro / "s.db"), "--quiet"])
    line = _one_coded_line(capsys, "E30")
    assert rc == 1 and (Codes.E305 in line or Codes.E301 in line)
    assert main(["export", "--db", str(sample_db), "-o", str(ro / "x.json")]) == 1
    _one_coded_line(capsys, Codes.E307)
    assert main(["report", "--db", str(sample_db), "-o", str(ro / "rep")]) == 1
    _one_coded_line(capsys, Codes.E307)


def test_a_migration_another_connection_applied_first_is_not_an_error(tmp_path, monkeypatch):
    """Two opens of a new database at once both read version 0; the one that loses the race
    finds each migration applied and goes on (the Dask kill test peeks at the file while the
    run creates it)."""
    import sqlite3

    from storyline.store import migrations

    db = tmp_path / "race.db"
    latest = migrations.migrate(sqlite3.connect(db, isolation_level=None))
    calls = []
    real = migrations.current_version

    def first_stale(conn):  # the first read is from before the other connection migrated
        calls.append(1)
        return 0 if len(calls) == 1 else real(conn)

    monkeypatch.setattr(migrations, "current_version", first_stale)
    assert migrations.migrate(sqlite3.connect(db, isolation_level=None)) == latest
