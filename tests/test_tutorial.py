"""The tutorial shows the results a reader relies on, as output the tests check.

``tests/test_doc_blocks.py`` runs every block of the tutorial in order, in one
namespace, and checks each output block against what its block prints; this test pins
that the tutorial keeps showing these results (checked by hand against the sources:
deepwater-07 "AI computing capacity of 90 EFLOPS"; deepwater-17/18 "over 80%
awareness, compared to 62% in the US"; Alibaba's 380 billion yuan at the 0.139 rate the
AI News article implies; Rui's "under 1/10th of the U.S.").
"""

from __future__ import annotations

from tests.docsite import page_blocks

BLOCKS = page_blocks("docs/tutorial.md")


def test_tutorial_has_code() -> None:
    assert sum(1 for b in BLOCKS if b.language == "python" and b.skip is None) >= 8


def test_tutorial_shows_the_checked_results() -> None:
    shown = [b.output for b in BLOCKS if b.output is not None]
    assert "90000 PFLOPS\n" in shown  # the comparison's unit, exactly
    assert "[('cn', '≥ 80 %'), ('us', '62 %')]\n" in shown
    assert "at_most 0.1 of us\n" in shown
    assert any(s.startswith("380 billion CNY → 52.82 billion USD") for s in shown)


def test_tutorial_answers_the_analysts_questions() -> None:
    # Checked by hand: 89.5 / 0.1 = 895; 89.5 × 0.895 / 0.105 = 762.88;
    # 379.5 × 138.5 / 1050 = 50.058 and 380.5 × 139.5 / 950 = 55.873; 600 + 250 = 850.
    consoles = "\n".join(b.code for b in BLOCKS if b.language == "console")
    assert "at least 895 EFLOPS      [895, ∞)" in consoles
    assert "at least 762.881 EFLOPS" in consoles
    assert "52.82 billion USD  [50.0579, 55.8734]" in consoles
    assert "to total, add --rate implied" in consoles and "exit 1" in consoles
    assert "cn      850 million CNY  [849, 851]" in consoles
    # Shanghai's US$139 million: five in-force facts of one claim, added once.
    assert "shanghai  139 million USD  [138.5, 139.5]  1" in consoles
