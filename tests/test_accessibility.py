"""RGAA 4.1 where no browser is needed: contrast of the vocabulary's colours and of the page's, the chrome's
French, and the accessibility statement page (the browser side: tests/e2e/test_accessibility_browser.py)."""

from __future__ import annotations

import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from geo.contrast import contrast_ratio
from geo.files import REPO_DIR
from geo.vocabulary import CATEGORIES
from ui import chrome

WHITE = "#ffffff"
CARTE_CSS = (REPO_DIR / "geo" / "webmap" / "static" / "carte.css").read_text(encoding="utf-8")
PAGE_CSS = (REPO_DIR / "ui" / "static" / "page.css").read_text(encoding="utf-8")


def css_colour(css: str, selector: str, prop: str = "background") -> str:
    """The first ``prop: #rrggbb`` of the rule that starts with ``selector``."""
    rule = re.search(re.escape(selector) + r"[^{]*\{([^}]*)\}", css)
    assert rule, selector
    return re.search(rf"(?<![-\w]){prop}\s*:\s*(#[0-9a-fA-F]{{6}})", rule.group(1)).group(1)


def test_the_contrast_formula_gives_the_known_ratios():
    assert contrast_ratio("#000000", WHITE) == pytest.approx(21)
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)  # the lightest grey text may be
    assert contrast_ratio(WHITE, WHITE) == 1


@pytest.mark.parametrize("key", list(CATEGORIES))
def test_every_category_colour_carries_its_white_icon_at_three_to_one(key):
    assert contrast_ratio(CATEGORIES[key].hex, WHITE) >= 3, CATEGORIES[key]  # RGAA 3.3: icons and controls


def test_ended_markers_clusters_and_captions_are_readable():
    ended = css_colour(CARTE_CSS, ".carte-symbol.carte-ended ")
    assert contrast_ratio(ended, WHITE) >= 3  # the white icon on an ended initiative's grey square
    assert "border-radius: 5px" in CARTE_CSS and 'content: "✕"' in CARTE_CSS  # a shape, not only a colour
    cluster = css_colour(CARTE_CSS, ".marker-cluster-small div")
    assert contrast_ratio(cluster, WHITE) >= 4.5  # its figure is text
    assert contrast_ratio(cluster, "#eef2f5") >= 3  # against the map's lightest ground (the commune fill)
    caption = css_colour(PAGE_CSS, '[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p',
                         "color")
    assert contrast_ratio(caption, WHITE) >= 4.5
    assert "opacity: 1 !important" in PAGE_CSS  # Streamlit draws captions at 60 % opacity otherwise


def tint(colour: str, alpha: float) -> str:
    """``colour`` at ``alpha`` over white, as Streamlit draws a selected tab's background."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * alpha + 255 * (1 - alpha)):02x}" for c in channels)


def test_the_theme_colour_reads_as_text_on_white_and_on_its_own_tint():
    primary = tomllib.loads((REPO_DIR / ".streamlit" / "config.toml").read_text())["theme"]["primaryColor"]
    assert contrast_ratio(primary, WHITE) >= 4.5
    assert contrast_ratio(primary, tint(primary, 0.1)) >= 4.5  # selected segmented control: text on its tint


def test_the_page_script_survives_st_html_sanitising():
    # DOMPurify drops a <script> whose text holds "<" followed by a letter or "/" (its mXSS guard): the whole
    # chrome would then silently not run.
    assert not re.search(r"<[/\w]", chrome._PAGE_JS)
    assert chrome._SCRIPT.count("<script>") == 1 and chrome._SCRIPT.endswith("</script>")


@pytest.mark.parametrize(("english", "french"), [
    ("Help for Recherche", "Aide : Recherche"), ("Remove Restaurant solidaire", "Retirer Restaurant solidaire"),
    ("2MB per file", "2 Mo par fichier"), ("Année de la source — start", "Année de la source — début"),
])
def test_streamlit_s_patterned_texts_have_their_french(english, french):
    for pattern, replacement in chrome.CHROME_FR_PATTERNS:
        if re.search(pattern, english):
            assert re.sub(pattern, replacement.replace("$1", r"\1"), english) == french
            return
    raise AssertionError(f"no French for « {english} »")


def test_every_page_title_is_its_own():
    titles = {chrome.page_title(name) for name in ("Carte", "Autour de moi", "Territoire", "Données",
                                                   "Accessibilité", "Espace équipe", "Contribuer")}
    assert len(titles) == 7 and all(t.endswith("· Carte des Possibles · ESS Aix-Marseille-Provence") for t in titles)


def test_the_accessibility_statement_is_a_page_with_what_the_law_asks():
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    app.switch_page("app_pages/accessibilite.py").run()
    assert not app.exception, app.exception
    text = "\n".join(m.value for m in app.markdown)
    for required in ("# Déclaration d'accessibilité", "## État de conformité", "partiellement conforme",
                     "RGAA", "## Résultats des tests", "## Non-conformités et dérogations", "## Alternative à la carte",
                     "## Retour d'information et contact", "## Voies de recours", "Défenseur des droits",
                     "## Établissement de cette déclaration"):
        assert required in text, required
    assert not re.search(r"__[A-Z]+__", text)  # every figure filled in


def test_the_statement_s_figures_are_the_grid_s():
    from ui.accessibility import RGAA_CRITERIA, conformity, grid, statement

    rows = grid()
    assert [row["critère"] for row in rows][:3] == ["1.1", "1.2", "1.3"] and len(rows) == RGAA_CRITERIA
    figures = conformity(rows)
    text = " ".join(statement().split())
    rate = f"{figures.rate:.1f}".replace(".", ",")
    assert f"**{rate} % des critères évalués sont respectés**" in text
    assert (f"{figures.met} critères conformes et {figures.failed} non conformes sur {figures.met + figures.failed}"
            in text)
    assert f"{figures.not_applicable} critères sont non applicables" in text
    assert f"{figures.not_evaluated} n'ont pas encore été évalués" in text
    failed = [row["critère"] for row in rows if row["état"] == "non conforme"]
    for number in failed:  # every criterion not met is named in the statement
        assert f"**{number}" in text or f"et {number}**" in text, number
