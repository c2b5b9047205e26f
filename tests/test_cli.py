"""The command line: user errors are one clear line and a non-zero status, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from phrasedrift import cli


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "phrasedrift", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_missing_corpus_is_one_line_and_status_1(tmp_path: Path) -> None:
    done = run("report", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    assert (
        done.stderr.strip() == f"phrasedrift: error: {tmp_path / 'nowhere'}: no such file or folder"
    )
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_folder_without_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["report", str(tmp_path), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "no documents found" in err
    assert "Traceback" not in err


def test_manifest_without_text_column_names_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("body\nHello.\n")
    assert cli.main(["report", str(manifest), "-o", str(tmp_path / "out")]) == 1
    assert "--text-column" in capsys.readouterr().err


def test_usage_error_is_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["report"])
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("phrasedrift ")


def test_report_warns_per_bad_file_and_writes_the_rest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(
        "WASHINGTON, May 12, 2021 - The Secretary reaffirmed ironclad support.", encoding="utf-8"
    )
    (corpus / "empty.txt").write_text("")
    out = tmp_path / "out"
    done = run("report", str(corpus), "-o", str(out), "--formats", "html,csv")
    assert done.returncode == 0, done.stderr
    assert "phrasedrift: warning: empty.txt: empty file; skipped" in done.stderr
    assert "Traceback" not in done.stderr
    assert (out / "report.html").exists()
    assert f"wrote {out / 'report.html'}" in done.stdout


def test_quiet_silences_warnings(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Text.", encoding="utf-8")
    (corpus / "empty.txt").write_text("")
    done = run("-q", "report", str(corpus), "-o", str(tmp_path / "out"), "--formats", "html")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == ""


def test_unknown_format_is_a_user_error(tmp_path: Path, sample_path: Path) -> None:
    done = run("report", str(sample_path), "-o", str(tmp_path / "out"), "--formats", "html,docx")
    assert done.returncode == 1
    assert "docx" in done.stderr
    assert "Traceback" not in done.stderr
