"""Tests for aifacts.text.spotter: the grammar table, properties, and the seed documents."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import cn2an  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aifacts.text.spotter
from aifacts.text.spotter import Mention, MentionKind, numbers_in, spot

Q, Y, D = MentionKind.QUANTITY, MentionKind.YEAR, MentionKind.DATE
F, L, OT = MentionKind.FOOTNOTE, MentionKind.LIST_LABEL, MentionKind.OTHER
VG, SC, FR, MU = MentionKind.VAGUE, MentionKind.SCALE, MentionKind.FRACTION, MentionKind.MULTIPLE
RK, CP, SP = MentionKind.RANK, MentionKind.COMPARATIVE, MentionKind.SPAN
THIRD = Decimal(1) / Decimal(3)

# (text, span of the mention under test, value, value_high, unit, kind)
GRAMMAR = [
    ("a value of 6.513 here", "6.513", "6.513", None, None, Q),
    ("ranking second globally", "ranking second", "2", None, "rank", RK),
    ("it ranked 3rd", "ranked 3rd", "3", None, "rank", RK),
    ("aiming to double computing power", "double", "2", None, "dimensionless", MU),
    ("a threefold rise", "threefold", "3", None, "dimensionless", MU),
    ("some 1,000 firms", "1,000", "1000", None, "firm", Q),
    ("over 1,000,000 units", "1,000,000", "1000000", None, "unit", Q),
    ("The 28-page strategy", "28-page", "28", None, "page", Q),
    ("2 million", "2 million", "2000000", None, None, Q),
    ("an investment of 380 billion yuan", "380 billion yuan", "380000000000", None, "CNY", Q),
    ("could exceed 10 trillion", "10 trillion", "10000000000000", None, None, Q),
    ("raised 5bn last year", "5bn", "5000000000", None, None, Q),
    ("Shanghai's US$139 million plan", "US$139 million", "139000000", None, "USD", Q),
    ("an $80 billion investment", "$80 billion", "80000000000", None, "USD", Q),
    ("revenues of $6.513 billion", "$6.513 billion", "6513000000", None, "USD", Q),
    ("a one billion yuan programme", "one billion yuan", "1000000000", None, "CNY", Q),
    ("600 million yuan for computing", "600 million yuan", "600000000", None, "CNY", Q),
    ("a fund of RMB 5 billion", "RMB 5 billion", "5000000000", None, "CNY", Q),
    ("a fund of 5 billion RMB", "5 billion RMB", "5000000000", None, "CNY", Q),
    ("it costs ¥100 now", "¥100", "100", None, "CNY", Q),
    ("raised €5 million", "€5 million", "5000000", None, "EUR", Q),
    ("a HK$3 billion deal", "HK$3 billion", "3000000000", None, "HKD", Q),
    ("a $5B round", "$5B", "5000000000", None, "USD", Q),
    ("上海宣布了1.39亿美元的AI补贴计划", "1.39亿美元", "139000000", None, "USD", Q),
    ("投资10亿元建设", "10亿元", "1000000000", None, "CNY", Q),
    ("规模达2.3万亿元", "2.3万亿元", "2300000000000", None, "CNY", Q),
    ("补贴六千万", "六千万", "60000000", None, None, Q),
    ("约三千家企业", "三千", "3000", None, None, Q),
    ("共一亿三千九百万", "一亿三千九百万", "139000000", None, None, Q),
    ("一点五亿元", "一点五亿元", "150000000", None, "CNY", Q),
    ("占百分之三十", "百分之三十", "30", None, "percent", Q),
    ("占百分之五十五的份额", "百分之五十五", "55", None, "percent", Q),
    ("份额达55％", "55％", "55", None, "percent", Q),
    ("only 30%.", "30%", "30", None, "percent", Q),
    ("with over 80% awareness", "80%", "80", None, "percent", Q),
    ("only 3 percent", "3 percent", "3", None, "percent", Q),
    ("ranging from 10% to 100% of", "10% to 100%", "10", "100", "percent", Q),
    ("between 2 and 3 billion yuan", "2 and 3 billion yuan", "2e9", "3e9", "CNY", Q),
    ("a 10-20% rise", "10-20%", "10", "20", "percent", Q),
    ("some 10 to 20 million users", "10 to 20 million", "1e7", "2e7", "user", Q),
    ("a $10-20 billion fund", "$10-20 billion", "1e10", "2e10", "USD", Q),
    ("grew from 17% to 55%", "55%", "55", None, "percent", Q),
    ("人民币100元", "人民币100元", "100", None, "CNY", Q),
    ("营收达到1,234.5万元", "1,234.5万元", "12345000", None, "CNY", Q),
    ("两年内", "两年", "2", None, "year", SP),
    ("for three to five years", "three to five years", "3", "5", "year", SP),
    ("期限三到五年", "三到五年", "3", "5", "year", SP),
    ("under 1/10th of the US", "1/10th", "0.1", None, None, FR),
    ("roughly one-third of", "one-third", THIRD, None, None, FR),
    ("two-thirds of the market", "two-thirds", Decimal(2) / Decimal(3), None, None, FR),
    ("Half of the market", "Half", "0.5", None, None, FR),
    ("the top three US hyperscalers", "top three", "3", None, "rank", RK),
    ("twenty companies", "twenty", "20", None, "company", Q),
    ("twenty-five people", "twenty-five", "25", None, None, Q),
    ("two hundred and fifty firms", "two hundred and fifty", "250", None, "firm", Q),
    ("nurturing its six little dragons", "six", "6", None, "dragon", Q),
    ("a three-year plan", "three-year", "3", None, "year", SP),
    ("8 million American households", "8 million", "8000000", None, "household", Q),
    ("over 2 million active robots", "2 million", "2000000", None, "robot", Q),
    ("matches 90 EFLOPS", "90 EFLOPS", "90", None, "EFLOPS", Q),
    ("stands at 280 EFLOPS", "280 EFLOPS", "280", None, "EFLOPS", Q),
    ("a capacity of 10 gigawatts", "10 gigawatts", "10", None, "GW", Q),
    ("a capacity of 10 GW", "10 GW", "10", None, "GW", Q),
    ("a 500 MW plant", "500 MW", "500", None, "MW", Q),
    ("revenue in 2025", "2025", "2025", None, None, Y),
    ("by 2030, the value", "2030", "2030", None, None, Y),
    ("预计到2027年", "2027年", "2027", None, None, Y),
    ("二〇二七年", "二〇二七年", "2027", None, None, Y),
    ("since the 1990s", "1990s", "1990", None, None, Y),
    ("in 2023-2025", "2023-2025", "2023", "2025", None, Y),
    ("Bao Dao·2025-05-29 14:12", "2025-05-29", "20250529", None, None, D),
    ("Bao Dao·2025-05-29 14:12", "14:12", "1412", None, None, D),
    ("unveiled on July 23.", "July 23", "723", None, None, D),
    ("AI News 07月29日 18:38", "07月29日", "729", None, None, D),
    ("AI News 07月29日 18:38", "18:38", "1838", None, None, D),
    ("2025年5月29日发布", "2025年5月29日", "20250529", None, None, D),
    ("Mar 13\nat\n7:53 AM", "Mar 13", "313", None, None, D),
    ("Mar 13\nat\n7:53 AM", "7:53 AM", "753", None, None, D),
    ("at 7:53 PM", "7:53 PM", "1953", None, None, D),
    ("AI research output [3]", "[3]", "3", None, None, F),
    ("capacity of 90 EFLOPS [1][2] Group", "[2]", "2", None, None, F),
    ("Group 2: China's AI", "Group 2", "2", None, None, L),
    ("Step 4. Deploy", "Step 4", "4", None, None, L),
    ("联系邮箱 441953276@qq.com", "441953276", "441953276", None, None, OT),
    ("Huawei's Ascend 910C now", "910", "910", None, None, OT),
    ("Nvidia's supreme H100 capacity", "100", "100", None, None, OT),
    ("its Ascend 950 series chips", "950", "950", None, None, OT),
    ("pre-DeepSeek R1. I", "1", "1", None, None, OT),
    ('the success of "Double Eleven"', "Eleven", "11", None, None, OT),
    ("\n2 1 Shi Ji Jing Ji", "1", "1", None, None, OT),
    # quantities in words, each with its own kind
    ("a demand exceeding several million units", "several million", "2e6", None, "unit", VG),
    ("to establish multiple sites", "multiple", "2", None, "site", VG),
    ("dozens of firms", "dozens", "24", None, "firm", VG),
    ("hundreds of millions of users", "hundreds of millions", "2e8", None, "user", VG),
    ("a handful of labs", "a handful of", "2", None, "lab", VG),
    ("提供多年资金支持", "多年", "2", None, "year", VG),
    ("数百万用户", "数百万", "2e6", None, None, VG),
    ("十几家企业", "十几", "11", "19", None, VG),
    ("for years to come", "for years to come", "2", None, "year", VG),
    ("a trillion-dollar race", "a trillion-dollar", "1e12", None, "USD", SC),
    ("万亿美元赛道鸣枪", "万亿美元", "1e12", None, "USD", SC),
    ("three-quarters of the market", "three-quarters", "0.75", None, None, FR),
    ("one-tenth of the US", "one-tenth", "0.1", None, None, FR),
    ("a third of the chips", "a third", THIRD, None, None, FR),
    ("占三分之一", "三分之一", THIRD, None, None, FR),
    ("grew twice as fast", "twice", "2", None, "dimensionless", MU),
    ("12 times the output", "12 times", "12", None, "dimensionless", MU),
    ("three times larger", "three times", "3", None, "dimensionless", MU),
    ("算力翻一番", "翻一番", "2", None, "dimensionless", MU),
    ("增长三倍", "三倍", "3", None, "dimensionless", MU),
    ("China remains a second-tier player", "second-tier", "2", None, "rank", RK),
    ("the largest cloud provider", "largest", "1", None, "rank", RK),
    ("Meta leads in XR", "leads in", "1", None, "rank", RK),
    ("to lead the world in AI", "lead the world", "1", None, "rank", RK),
    ("the world's leading provider", "leading", "1", None, "rank", RK),
    ("top 10 firms", "top 10", "10", None, "rank", RK),
    ("位居全球第二", "第二", "2", None, "rank", RK),
    ("维持技术领先地位", "领先", "1", None, "rank", RK),
    ("is more than double", "more than double", "2", None, "dimensionless", CP),
    ("less than half of", "less than half", "0.5", None, "dimensionless", CP),
    ("less than what any of the top three", "less than what any of", "1", None, "ratio", CP),
    ("in the next decade", "the next decade", "10", None, "year", SP),
    ("over the past two decades", "the past two decades", "20", None, "year", SP),
    ("the next five years", "the next five years", "5", None, "year", SP),
    ("half a million users", "half a million", "5e5", None, "user", Q),
    ("a dozen firms", "a dozen", "12", None, "firm", Q),
    ("a billion users", "a billion", "1e9", None, "user", Q),
]


@pytest.mark.parametrize(("text", "span", "value", "high", "unit", "kind"), GRAMMAR)
def test_grammar(
    text: str,
    span: str,
    value: str | Decimal,
    high: str | None,
    unit: str | None,
    kind: MentionKind,
) -> None:
    found = [m for m in spot(text) if m.span == span]
    assert found, f"{span!r} not spotted in {text!r}: {spot(text)}"
    m = found[0]
    assert text[m.start : m.end] == span
    assert (m.value, m.value_high) == (Decimal(value), None if high is None else Decimal(high))
    assert (m.unit, m.kind) == (unit, kind)


@pytest.mark.parametrize(
    "text",
    [
        "someone often goes",
        "One of Shanghai's key advantages",
        "no one knows",
        "in the 2nd quarter",
        "统一进一步推进",
        "百度与千问",
        "统一的第三方平台",
        "most of last year",
        "in the past years",
        "更多个性化",
    ],
)
def test_not_numbers(text: str) -> None:
    assert spot(text) == []


def test_scale_and_mention_shape() -> None:
    (m,) = spot("Shanghai's US$139 million AI investment")
    assert m == Mention(
        11, 25, "US$139 million", Decimal(139000000), None, "USD", Q, Decimal(10**6)
    )
    assert m.value / m.scale == 139
    (cn,) = spot("1.39亿美元")
    assert (cn.scale, cn.value / cn.scale) == (Decimal(10**8), Decimal("1.39"))
    with pytest.raises(AttributeError):
        m.value = Decimal(1)  # type: ignore[misc]


def test_numbers_in_keeps_quantities_and_range_ends() -> None:
    quote = "offers 10% to 100% of contract values [3] in 2024 for H100 chips"
    assert numbers_in(quote) == [Decimal(10), Decimal(100), Decimal(100)]


def test_import_is_light() -> None:
    src = Path(aifacts.text.spotter.__file__).resolve().parents[1]
    code = (
        "import sys, aifacts.text.spotter as s; s.spot('US$139 million in 2025');"
        "assert 'cn2an' not in sys.modules, 'cn2an imported eagerly'"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
    }
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# --- properties ------------------------------------------------------------------------------
EN_FILLER = ["the", "market", "value", "grew", "and", "says", "about", "total"]
CN_FILLER = ["预计", "市场", "规模", "达到", "的"]
SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


@st.composite
def rendered_numbers(draw: st.DrawFn) -> tuple[str, Decimal, str | None]:
    """A number written in one supported form, with an optional currency: (text, value, unit)."""
    form = draw(st.sampled_from(["plain", "separators", "decimal", "scale", "chinese", "cn_mag"]))
    mantissa = Decimal(draw(st.integers(1, 999_999))) / 100
    if form == "plain":
        n = draw(st.integers(0, 10**12))
        text, value = str(n), Decimal(n)
    elif form == "separators":
        n = draw(st.integers(1000, 10**12))
        text, value = f"{n:,}", Decimal(n)
    elif form == "decimal":
        text, value = str(mantissa), mantissa
    elif form == "scale":
        word = draw(st.sampled_from(sorted(SCALE_WORDS)))
        text, value = f"{mantissa} {word}", mantissa * SCALE_WORDS[word]
    elif form == "chinese":
        n = draw(st.integers(11, 10**12))
        text, value = cn2an.an2cn(str(n)), Decimal(n)
    else:
        char = draw(st.sampled_from(["万", "亿"]))
        text, value = f"{mantissa}{char}", mantissa * (10**4 if char == "万" else 10**8)
    chinese = form in ("chinese", "cn_mag")
    marks = ["", "元", "美元"] if chinese else ["", "US$", "$", " yuan", "元", "美元"]
    mark = draw(st.sampled_from(marks))
    unit = {"": None, "US$": "USD", "$": "USD", " yuan": "CNY", "元": "CNY", "美元": "USD"}[mark]
    text = mark + text if mark.endswith("$") else text + mark.lstrip("$")
    return text, value, unit


@settings(max_examples=200, deadline=None)
@given(
    rendered_numbers(),
    st.lists(st.sampled_from(EN_FILLER + CN_FILLER), max_size=4),
    st.lists(st.sampled_from(EN_FILLER + CN_FILLER), max_size=4),
)
def test_rendered_number_is_spotted(
    number: tuple[str, Decimal, str | None], left: list[str], right: list[str]
) -> None:
    written, value, unit = number
    text = " ".join([*left, written, *right])
    found = [m for m in spot(text) if m.value == value]
    assert found, f"{value} not spotted in {text!r}: {spot(text)}"
    if unit is not None:
        assert found[0].unit == unit


NUMBERY = st.text(
    alphabet=st.sampled_from(list("0123456789.,%$:-/[] 亿万千百十一二三点年月日元 to"))
)
ANY_TEXT = st.one_of(st.text(), NUMBERY)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_spans_sorted_and_disjoint(text: str) -> None:
    mentions = spot(text)
    for a, b in pairwise(mentions):
        assert a.end <= b.start
    assert all(m.start < m.end for m in mentions)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_offsets_slice_back(text: str) -> None:
    for m in spot(text):
        assert text[m.start : m.end] == m.span


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_never_raises(text: str) -> None:
    spot(text)
    numbers_in(text)


# --- the seed documents ----------------------------------------------------------------------
def _seeds_dir() -> Path | None:
    env = os.environ.get("AIFACTS_SEEDS")
    folder = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "seeds"
    return folder if folder.is_dir() and any(folder.glob("*.txt")) else None


@pytest.fixture(scope="module")
def seed_text() -> str:
    folder = _seeds_dir()
    if folder is None:
        pytest.skip(
            "source documents not found: set AIFACTS_SEEDS or place them in ../shared/seeds"
        )
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))


# (phrase in a seed, value of the mention inside it, value_high, unit, kind)
SEED_MENTIONS = [
    ("$100 billion", "1e11", None, "USD", Q),
    ("10 gigawatts", "10", None, "GW", Q),
    ("8 million American households", "8e6", None, "household", Q),
    ("90 EFLOPS", "90", None, "EFLOPS", Q),
    ("380 billion yuan", "3.8e11", None, "CNY", Q),
    ("30 regions", "30", None, "region", Q),
    ("280 EFLOPS", "280", None, "EFLOPS", Q),
    ("is only 30%", "30", None, "percent", Q),
    ("over 80%", "80", None, "percent", Q),
    ("62%", "62", None, "percent", Q),
    ("43%", "43", None, "percent", Q),
    ("only 3% in the US", "3", None, "percent", Q),
    ("nearly 30%", "30", None, "percent", Q),
    ("10 trillion yuan", "1e13", None, "CNY", Q),
    ("US$400 billion", "4e11", None, "USD", Q),
    ("US$500 billion", "5e11", None, "USD", Q),
    ("2 million active robots", "2e6", None, "robot", Q),
    ("4 million customers", "4e6", None, "customer", Q),
    ("47 million", "4.7e7", None, None, Q),
    ("$6.513 billion", "6513000000", None, "USD", Q),
    ("上海宣布了1.39亿美元", "139000000", None, "USD", Q),
    ("one billion yuan", "1e9", None, "CNY", Q),
    ("(US$139 million)", "139000000", None, "USD", Q),
    ("600 million yuan", "6e8", None, "CNY", Q),
    ("300 million yuan", "3e8", None, "CNY", Q),
    ("100 million yuan", "1e8", None, "CNY", Q),
    ("10% to 100%", "10", "100", "percent", Q),
    ("500 million yuan", "5e8", None, "CNY", Q),
    ("three to five years", "3", "5", "year", SP),
    ("250 million yuan", "2.5e8", None, "CNY", Q),
    ("six little dragons", "6", None, "dragon", Q),
    ("28-page", "28", None, "page", Q),
    ("55%", "55", None, "percent", Q),
    ("17%", "17", None, "percent", Q),
    ("market by 2027", "2027", None, None, Y),
    ("预计到2027年", "2027", None, None, Y),
    ("65%", "65", None, "percent", Q),
    ("90%", "90", None, "percent", Q),
    ("$80 billion", "8e10", None, "USD", Q),
    ("1/10th", "0.1", None, None, FR),
    ("estimated at 10%", "10", None, "percent", Q),
    ("as low as 1%", "1", None, "percent", Q),
    ("over 50%", "50", None, "percent", Q),
    ("hosts 60%", "60", None, "percent", Q),
    ("$110 billion", "1.1e11", None, "USD", Q),
    ("a three-year plan", "3", None, "year", SP),
    ("in 2026 and", "2026", None, None, Y),
    ("by 2030", "2030", None, None, Y),
    ("output [3]", "3", None, None, F),
    ("[1][5][11]", "11", None, None, F),
    ("Group 2: China", "2", None, None, L),
    ("Group 1: AI Development", "1", None, None, L),
    ("Ascend 950", "950", None, None, OT),
    ("Ascend 910C", "910", None, None, OT),
    ("H100", "100", None, None, OT),
    ("441953276@qq.com", "441953276", None, None, OT),
    ("2 1 Shi Ji", "2", None, None, OT),
    ("2025-05-29", "20250529", None, None, D),
    ("07月29日", "729", None, None, D),
    ("July 23", "723", None, None, D),
    ("7:53 AM", "753", None, None, D),
]


@pytest.mark.parametrize(("phrase", "value", "high", "unit", "kind"), SEED_MENTIONS)
def test_seed_mentions(
    seed_text: str,
    phrase: str,
    value: str,
    high: str | None,
    unit: str | None,
    kind: MentionKind,
) -> None:
    at = seed_text.find(phrase)
    assert at >= 0, f"{phrase!r} is not in the seed documents"
    inside = [m for m in _spotted(seed_text) if at <= m.start and m.end <= at + len(phrase)]
    wanted = (Decimal(value), None if high is None else Decimal(high), unit, kind)
    assert wanted in [(m.value, m.value_high, m.unit, m.kind) for m in inside], inside


_CACHE: dict[str, list[Mention]] = {}


def _spotted(text: str) -> list[Mention]:
    if text not in _CACHE:
        _CACHE[text] = spot(text)
    return _CACHE[text]


def test_seed_noise_is_not_quantity(seed_text: str) -> None:
    quantities = {m.span for m in _spotted(seed_text) if m.kind is Q}
    assert not quantities & {"950", "910", "100", "441953276", "1", "2", "5", "Eleven", "one"}
