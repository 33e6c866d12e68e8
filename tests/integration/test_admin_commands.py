"""`careflow admin` as the person running the web app uses it: accounts, the demo baseline, backups and refusals."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli_runner import run_careflow


def _create_admin(database: str, workspace: str, password: str) -> tuple[int, str, str]:
    """`careflow admin create-user` for a@b.example, the password on standard input (run_careflow has no input)."""
    from careflow.cli import app

    args = ["admin", "create-user", "a@b.example", "--role", "admin", "--workspace", workspace, "--password-stdin"]
    ran = CliRunner().invoke(app, [*args, "--database", database], input=password + "\n")
    return ran.exit_code, ran.stdout, ran.stderr


def test_accounts_demo_baseline_and_a_backup_restored_into_another_database(tmp_path: Path) -> None:
    url, other = f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"
    code, _, err = _create_admin(url, "W", "long enough password")
    assert code == 2 and "a database made by 'careflow db upgrade'" in err and "Traceback" not in err
    assert run_careflow("db", "upgrade", "--database", url).returncode == 0
    code, _, err = _create_admin(url, "W", "short")
    assert code == 2 and "at least 12 characters" in err
    code, out, _ = _create_admin(url, " W ", "long enough password")
    assert code == 0 and out.strip() == "a@b.example is admin in workspace 'W'"
    granted = run_careflow(
        "admin", "create-user", "a@b.example", "--role", "viewer", "--workspace", "V", "--database", url
    )
    assert granted.returncode == 0, granted.stderr  # an existing account: no password asked for
    first = run_careflow("admin", "load-demo", "--workspace", "W", "--database", url)
    second = run_careflow("admin", "load-demo", "--workspace", "W", "--database", url)
    assert "version 1 in workspace 'W'" in first.stdout and "version 2 in workspace 'W'" in second.stdout
    archive = tmp_path / "backup.zip"
    made = run_careflow("admin", "backup", str(archive), "--database", url)
    assert made.returncode == 0 and "Backed up" in made.stdout and archive.is_file()
    again = run_careflow("admin", "backup", str(archive), "--database", url)
    assert again.returncode == 2 and "nothing is overwritten" in again.stderr
    assert run_careflow("db", "upgrade", "--database", other).returncode == 0
    restored = run_careflow("admin", "restore", str(archive), "--database", other)
    assert restored.returncode == 0 and "every table's SHA-256 matches" in restored.stdout
    refused = run_careflow("admin", "restore", str(archive), "--database", other)
    assert refused.returncode == 2 and "an empty database to restore into" in refused.stderr
    missing = run_careflow("admin", "restore", str(tmp_path / "none.zip"), "--database", other)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_every_bad_argument_is_listed_before_the_database_is_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'never-made' / 'a.sqlite3'}"
    ran = run_careflow("admin", "create-user", "nobody", "--role", "king", "--workspace", "", "--database", url)
    assert ran.returncode == 2 and "3 problem(s)" in ran.stderr
    assert "--role" in ran.stderr and "EMAIL" in ran.stderr and "--workspace" in ran.stderr
    assert not (tmp_path / "never-made").exists()
