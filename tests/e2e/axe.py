"""axe-core, the accessibility engine, run in a page and in every frame of it (the map is a frame of its own).

`make test` installs it from the npm registry into .venv/node (see the Makefile); CARTE_AXE names another copy.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from geo.files import REPO_DIR

AXE = Path(os.environ.get("CARTE_AXE", REPO_DIR / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
# WCAG 2.1 A and AA, the level RGAA 4.1 follows, plus axe's best practices. WCAG 2.2's own rules are left out:
# RGAA 4.1 does not include them, and on the tour's unclustered map two close stops can overlap into targets
# under 2.2's 24 px (said in the statement, with the tour's buttons and the list as the alternative).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("critical", "serious")


@cache
def source() -> str:
    return AXE.read_text(encoding="utf-8")


def audit(page) -> list[dict]:
    """Every violation in the page and its frames: rule, impact, where (frame URL) and the nodes' selectors."""
    found = []
    for frame in page.frames:
        try:
            frame.evaluate(source())
            violations = frame.evaluate(
                "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
                ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))",
                TAGS)
        except Exception as error:  # a frame that went away while it was audited is audited again by the caller
            if "detached" in str(error) or "destroyed" in str(error):
                continue
            raise
        found += [{**v, "frame": frame.url} for v in violations]
    return found


def blocking(violations: list[dict]) -> list[str]:
    """The critical and serious ones, said in one line each (for an assertion message)."""
    return [f"{v['impact']} {v['id']} in {v['frame'][:60]}: {v['help']} — {v['nodes'][:3]}"
            for v in violations if v["impact"] in BLOCKING]


def counts(violations: list[dict]) -> dict[str, int]:
    """Violations per impact (each rule once per frame)."""
    result = {impact: 0 for impact in ("critical", "serious", "moderate", "minor")}
    for violation in violations:
        result[violation["impact"]] = result.get(violation["impact"], 0) + 1
    return result


def settled_audit(visit) -> list[dict]:
    """The audit of a page at rest: while Streamlit reruns it draws the elements of the last run faded, which
    axe rightly counts as low contrast; a page found so is audited again once the run has finished."""
    found = audit(visit.page)
    if blocking(found):
        visit.settle()
        visit.page.wait_for_timeout(1500)
        found = audit(visit.page)
    return found
