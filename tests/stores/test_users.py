"""Web accounts: scrypt hashes, the users file, and `reportbot users` commands."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportbot.cli.main import main
from reportbot.config import load_settings
from reportbot.errors import AccessError
from reportbot.stores.users import Users, hash_password, verify_password


class TestHashing:
    def test_hash_verifies_and_is_salted(self) -> None:
        a, b = hash_password("correct horse"), hash_password("correct horse")
        assert a != b and a.startswith("scrypt$")
        assert verify_password("correct horse", a) and verify_password("correct horse", b)
        assert not verify_password("wrong horse!", a)

    def test_same_salt_gives_same_hash(self) -> None:
        assert hash_password("pw123456", b"s" * 16) == hash_password("pw123456", b"s" * 16)

    @pytest.mark.parametrize("encoded", ["", "plain", "md5$x$y", "scrypt$1$2$3$!!$!!",
                                         "scrypt$a$b$c$d$e"])
    def test_malformed_hashes_never_verify(self, encoded: str) -> None:
        assert not verify_password("anything", encoded)


class TestUsersFile:
    def test_add_check_admin_remove(self, tmp_path: Path) -> None:
        users = Users(tmp_path / "users.json")
        assert not users.enabled() and not users.check("alice", "x")
        assert users.add("alice", "s3cret-pass", admin=True)
        assert not users.add("alice", "new-s3cret-pass", admin=True)  # reset, not new
        users.add("bob", "bob-password")
        assert users.enabled()
        assert users.check("alice", "new-s3cret-pass") and not users.check("alice", "s3cret-pass")
        assert users.is_admin("alice") and not users.is_admin("bob") and not users.is_admin(None)
        users.remove("bob")
        assert not users.check("bob", "bob-password")
        with pytest.raises(AccessError, match="no user named 'bob'"):
            users.remove("bob")

    def test_file_holds_no_password_and_is_private(self, tmp_path: Path) -> None:
        path = tmp_path / "users.json"
        Users(path).add("alice", "s3cret-pass")
        text = path.read_text(encoding="utf-8")
        assert "s3cret-pass" not in text
        assert json.loads(text)["users"]["alice"]["password"].startswith("scrypt$")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_bad_names_passwords_and_files_are_clean_errors(self, tmp_path: Path) -> None:
        users = Users(tmp_path / "users.json")
        with pytest.raises(AccessError, match="invalid user name"):
            users.add("a b", "long-enough")
        with pytest.raises(AccessError, match="password too short"):
            users.add("alice", "short")
        (tmp_path / "users.json").write_text("{not json", encoding="utf-8")
        with pytest.raises(AccessError, match="fix or delete it"):
            users.enabled()


class TestCli:
    def test_users_add_prompts_for_a_confirmed_password(self, tmp_path: Path) -> None:
        env = {"REPORTBOT_DATA_DIR": str(tmp_path)}
        runner = CliRunner()
        result = runner.invoke(main, ["users", "add", "alice", "--admin"],
                               input="s3cret-pass\ns3cret-pass\n", env=env)
        assert result.exit_code == 0, result.output
        assert "added admin user alice" in result.output
        assert "s3cret-pass" not in result.output  # hidden input is not echoed
        users = Users(load_settings(data_dir=tmp_path).users_path)  # the state directory
        assert users.check("alice", "s3cret-pass") and users.is_admin("alice")
        listed = runner.invoke(main, ["users", "list"], env=env)
        assert "alice\tadmin" in listed.output

    def test_users_errors_are_one_line_messages(self, tmp_path: Path) -> None:
        env = {"REPORTBOT_USERS_FILE": str(tmp_path / "u.json")}
        runner = CliRunner()
        result = runner.invoke(main, ["users", "add", "bob"], input="short\nshort\n", env=env)
        assert result.exit_code != 0 and "password too short" in result.output
        assert "Traceback" not in result.output
        result = runner.invoke(main, ["users", "remove", "nobody"], env=env)
        assert result.exit_code != 0 and "no user named 'nobody'" in result.output
        assert "login is off" in runner.invoke(main, ["users", "list"], env=env).output
