"""requirements.lock: what set-up installs, and what pyproject.toml allows."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _locked() -> dict[str, tuple[str, str | None, int]]:
    """Return each locked package: its version, its marker and how many file hashes it carries."""
    pins: dict[str, tuple[str, str | None, int]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            pins[current] = (match[2], match[3], 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, marker, hashes = pins[current]
            pins[current] = (version, marker, hashes + 1)
    return pins


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    texts = (project["project"]["dependencies"] + project["project"]["optional-dependencies"]["test"]
             + project["build-system"]["requires"])
    return [Requirement(text) for text in texts]


def test_every_locked_package_is_installed_at_its_locked_version():
    pins = _locked()
    assert len(pins) > 40
    for name, (version, marker, _) in pins.items():
        if marker and not Marker(marker).evaluate():
            continue
        assert metadata.version(name) == version, f"{name}: {metadata.version(name)} terpasang, {version} terkunci"


def test_every_pin_carries_hashes():
    assert all(hashes for _, _, hashes in _locked().values())


def test_every_dependency_of_pyproject_is_locked_within_its_range():
    pins = _locked()
    for requirement in _wanted():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} ada di pyproject.toml tetapi tidak di requirements.lock"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (name, pins[name][0])
