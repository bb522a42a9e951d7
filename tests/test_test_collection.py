"""Every test module in the repository is one that pytest collects.

A test directory left out of pytest.ini's `testpaths` never runs in `make test` or CI
(the reports app's tests once went unrun this way), and nothing else would say so.
"""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_OURS = {".venv", "node_modules", ".git", "var"}


def test_every_test_module_lies_under_a_testpath():
    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini")
    testpaths = [ROOT / path for path in ini["pytest"]["testpaths"].split()]
    modules = [
        path
        for path in ROOT.rglob("test_*.py")
        if not NOT_OURS.intersection(path.relative_to(ROOT).parts)
    ]
    assert len(modules) > 50  # the walk found the suite
    uncollected = [
        str(path.relative_to(ROOT))
        for path in modules
        if not any(path.is_relative_to(testpath) for testpath in testpaths)
    ]
    assert uncollected == []
