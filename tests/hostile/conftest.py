"""The hostile input catalogue: counts what was tried and what was handled.

Every test marked `hostile` is one hostile input. It counts as tried when it
starts and as handled when it passes; the run ends with the totals.
"""

_tally = {"tried": 0, "handled": 0}


def pytest_runtest_logreport(report):
    if "hostile" not in report.keywords:
        return
    if report.when == "setup":
        _tally["tried"] += 1
    elif report.when == "call" and report.passed:
        _tally["handled"] += 1


def pytest_terminal_summary(terminalreporter):
    if _tally["tried"]:
        terminalreporter.write_sep(
            "-", f"hostile inputs: {_tally['tried']} tried, {_tally['handled']} handled"
        )
