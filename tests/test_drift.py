"""Drift tables on small hand-made occurrences, with answers worked out by hand."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from phrasedrift import drift
from phrasedrift.config import Config, DriftConfig
from phrasedrift.errors import PhrasedriftError, SchemaError
from phrasedrift.pipeline import Result

COLUMNS = ["family_id", "variant", "doc_id", "date", "source", "principal"]


def occurrences(*rows: tuple[object, ...], **extra: list[object]) -> pd.DataFrame:
    """Rows of (family_id, variant, doc_id, date, source, principal); extra columns by name."""
    frame = pd.DataFrame(rows, columns=COLUMNS[: len(rows[0])] if rows else COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    for name, values in extra.items():
        frame[name] = values
    return frame


def js(p: list[float], q: list[float]) -> float:
    """Jensen–Shannon divergence, base 2, written out term by term (the reference)."""
    total = 0.0
    for a, b in zip(p, q, strict=True):
        m = (a + b) / 2
        total += (a * math.log2(a / m) if a else 0.0) + (b * math.log2(b / m) if b else 0.0)
    return total / 2


# -- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2021-05-10", "2021-05-12", "D"),  # 3 days
        ("2021-05-01", "2021-06-30", "W"),  # 2 months: 61 days, 9 weeks
        ("2021-01-01", "2021-06-30", "M"),  # 6 months: 27 weeks is too many
        ("2011-01-01", "2020-12-31", "Y"),  # 10 years: 120 months is too many
        ("1801-03-04", "2000-12-31", "10Y"),  # 200 years: 20 decades
        ("1790-01-08", "2026-02-24", "10Y"),  # 24 decades, 1790s to 2020s: just fits
    ],
)
def test_period_is_chosen_from_the_span(first: str, last: str, expected: str) -> None:
    dates = pd.Series(pd.to_datetime([first, None, last]))
    assert drift.choose_period(dates) == expected


def test_period_choice_follows_max_periods_and_survives_no_dates() -> None:
    three_days = pd.Series(pd.to_datetime(["2021-05-10", "2021-05-12"]))
    assert drift.choose_period(three_days, max_periods=2) == "W"
    assert drift.choose_period(pd.Series(pd.to_datetime([None, None]))) == "D"
    # longer than max_periods decades: decades all the same, the longest period there is
    assert drift.choose_period(three_days, max_periods=0) == "10Y"


DECADES = occurrences(
    ("f", "a", "d1", "1789-12-31", "S1"),
    ("f", "a", "d2", "1790-01-01", "S1"),
    ("f", "b", "d3", "1799-12-31", "S1"),
    ("f", "b", "d4", "1800-01-01", "S1"),
    ("f", "b", "d5", "2026-02-24", "S1"),
)


def test_decades_start_in_a_year_ending_in_zero_by_alias_or_name() -> None:
    out = drift.count_by_period(DECADES, freq="decade")
    got = {(p.year, v): n for p, v, n in out[["period", "variant", "n_mentions"]].itertuples(False)}
    assert got == {(1780, "a"): 1, (1790, "a"): 1, (1790, "b"): 1, (1800, "b"): 1, (2020, "b"): 1}
    assert (out["period"].dt.month == 1).all() and (out["period"].dt.day == 1).all()
    pd.testing.assert_frame_equal(out, drift.count_by_period(DECADES, freq="10Y"))
    # chosen for a span of 25 decades, whose years are too many
    pd.testing.assert_frame_equal(out, drift.count_by_period(DECADES))
    assert drift.period_alias("decade") == "10Y" and drift.period_alias("10y") == "10Y"
    with pytest.raises(ValueError, match=r"century.*10Y \(decade\)"):
        drift.period_alias("century")


def test_drift_and_slot_fillers_are_measured_between_decades() -> None:
    steps = drift.score_drift(DECADES, freq="decade")
    assert steps["period"].dt.year.tolist() == [1790, 1800, 2020]
    assert steps["previous_period"].dt.year.tolist() == [1780, 1790, 1800]
    assert steps["divergence"].tolist() == pytest.approx(
        [js([1, 0], [0.5, 0.5]), js([0.5, 0.5], [0, 1]), 0.0]
    )
    slots = pd.DataFrame({"family_id": ["f", "f"], "pattern": ["_", "_"], "filler": ["a", "b"]})
    fillers = drift.count_slot_fillers(DECADES, slots, freq="decade")
    assert sorted(zip(fillers["period"].dt.year, fillers["filler"], strict=True)) == [
        (1780, "a"),
        (1790, "a"),
        (1790, "b"),
        (1800, "b"),
        (2020, "b"),
    ]


# -- counts ----------------------------------------------------------------------------------

TIMELINE = occurrences(
    ("f", "a", "d1", "2021-01-03", "S1", "Blinken"),
    ("f", "a", "d2", "2021-01-20", "S1", "Price"),
    ("f", "b", "d3", "2021-01-21", "S2", "Blinken"),
    ("f", "b", "d4", "2021-02-02", "S2", None),
    ("f", "a", "d5", None, "S3", "Price"),
)


def test_count_by_period_counts_dated_uses_and_shares_within_the_period() -> None:
    before = TIMELINE.copy()
    out = drift.count_by_period(TIMELINE, freq="M")
    got = {
        (str(p.date()), v): (n, s)
        for p, v, n, s in out[["period", "variant", "n_mentions", "share"]].itertuples(index=False)
    }
    assert got == {
        ("2021-01-01", "a"): (2, pytest.approx(2 / 3)),
        ("2021-01-01", "b"): (1, pytest.approx(1 / 3)),
        ("2021-02-01", "b"): (1, pytest.approx(1.0)),
    }
    assert out["n_mentions"].sum() == 4  # the undated use is not over time
    pd.testing.assert_frame_equal(TIMELINE, before)


def test_period_names_and_aliases_agree_and_unknown_ones_are_named() -> None:
    pd.testing.assert_frame_equal(
        drift.count_by_period(TIMELINE, freq="month"), drift.count_by_period(TIMELINE, freq="M")
    )
    weeks = drift.count_by_period(TIMELINE, freq="W")
    assert set(weeks["period"].dt.day_of_week) == {0}  # weeks start on Monday
    with pytest.raises(ValueError, match=r"fortnight.*D \(day\)"):
        drift.count_by_period(TIMELINE, freq="fortnight")


def test_utterances_count_a_statement_once_however_many_outlets_carry_it() -> None:
    frame = occurrences(
        ("f", "a", "d1", "2021-05-11", "Haaretz", "Sullivan"),
        ("f", "a", "d2", "2021-05-11", "Wire", "Sullivan"),
        ("f", "a", "d3", "2021-05-12", "Hayom", "Sullivan"),
        ("f", "b", "d3", "2021-05-12", "Hayom", "Sullivan"),
        utterance_id=["u1", "u1", "u1", None],  # missing: an utterance of its own
    )
    out = drift.count_variants(frame).set_index("variant")
    assert out.loc["a", "n_mentions"] == 3 and out.loc["a", "n_utterances"] == 1
    assert out.loc["b", "n_utterances"] == 1
    assert out.loc["a", "share"] == pytest.approx(0.5)  # utterances: 1 of 2
    by_mentions = drift.count_variants(frame, unit="mentions").set_index("variant")
    assert by_mentions.loc["a", "share"] == pytest.approx(0.75)
    without_ids = drift.count_variants(frame.drop(columns="utterance_id"))
    assert list(without_ids["n_utterances"]) == list(without_ids["n_mentions"]) == [3, 1]


def test_counts_by_official_include_undated_uses_and_unknown_officials() -> None:
    out = drift.count_variants(TIMELINE, by="principal")
    got = {
        (p, v): n for p, v, n in out[["principal", "variant", "n_mentions"]].itertuples(index=False)
    }
    assert got == {("Blinken", "a"): 1, ("Blinken", "b"): 1, ("Price", "a"): 2, ("", "b"): 1}
    price = out[out["principal"] == "Price"].iloc[0]
    assert price["first_date"] == price["last_date"] == pd.Timestamp("2021-01-20")
    assert out.loc[out["principal"] == "Blinken", "share"].tolist() == [0.5, 0.5]


def test_absent_principal_is_unknown_and_outlets_are_counted() -> None:
    frame = TIMELINE.drop(columns="principal")
    assert set(drift.count_variants(frame, by="principal")["principal"]) == {""}
    outlets = drift.count_variants(frame, by="source")
    assert dict(zip(outlets["source"], outlets["n_mentions"], strict=True)) == {
        "S1": 2,
        "S2": 2,
        "S3": 1,
    }


def test_unknown_unit_and_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="unit 'words'"):
        drift.count_variants(TIMELINE, unit="words")
    with pytest.raises(SchemaError, match="lacks column\\(s\\) source"):
        drift.count_by_period(TIMELINE.drop(columns="source"))
    with pytest.raises(SchemaError, match="lacks column\\(s\\) speaker_party"):
        drift.count_variants(TIMELINE, by="speaker_party")
    with pytest.raises(SchemaError, match="date column is not dates"):
        drift.count_variants(TIMELINE.assign(date="last spring"))


def test_empty_occurrences_give_empty_tables_with_their_columns() -> None:
    empty = TIMELINE.iloc[0:0]
    assert list(drift.count_by_period(empty).columns) == [
        "family_id",
        "period",
        "variant",
        "n_mentions",
        "n_utterances",
        "share",
    ]
    assert drift.count_variants(empty, by="source").empty
    assert drift.score_drift(empty).empty
    assert drift.measure_drift(empty).empty
    assert drift.score_signatures(empty).empty
    assert list(drift.compare_officials(empty).columns)[-2:] == ["log_odds", "z"]
    assert drift.find_first_uses(empty).empty


# -- first uses ------------------------------------------------------------------------------


def test_first_use_names_the_earliest_document_and_who_introduced_the_variant() -> None:
    everything = occurrences(
        ("f", "a", "d0", "2021-01-03", "S0", None),  # same day, unknown principal
        ("f", "a", "d1", "2021-01-03", "S1", "Blinken"),
        ("f", "a", "d2", "2021-01-01", "S2", None),
        ("f", "a", "d3", "2021-03-01", "S3", "Price"),
        ("f", "b", "d9", None, "S9", "Price"),
        ("f", "b", "d8", None, "S8", None),
    )
    earliest = drift.find_first_uses(everything).set_index("variant")
    assert earliest.loc["a", "doc_id"] == "d2"  # an earlier date wins over a known name
    out = drift.find_first_uses(everything.drop(index=2)).set_index("variant")
    a = out.loc["a"]
    assert (a["first_date"], a["doc_id"], a["source"], a["principal"]) == (
        pd.Timestamp("2021-01-03"),
        "d1",
        "S1",
        "Blinken",
    )
    assert a["last_date"] == pd.Timestamp("2021-03-01") and a["n_mentions"] == 3
    b = out.loc["b"]
    assert pd.isna(b["first_date"]) and b["doc_id"] == "d9" and b["principal"] == "Price"


# -- diffs -----------------------------------------------------------------------------------

FAMILIES = pd.DataFrame({"family_id": ["f"], "label": ["Support for Israel's security"]})


def edits(variant: str, **options: bool) -> list[tuple[str, int, str, str]]:
    frame = occurrences(("f", variant, "d1", "2021-01-01", "S1"))
    out = drift.diff_variants(frame, FAMILIES, **options)
    rows = out[["op", "position", "removed", "added"]].itertuples(index=False)
    return [(str(op), int(position), str(a), str(b)) for op, position, a, b in rows]


def test_diff_has_one_row_per_edit_against_the_label() -> None:
    assert edits("ironclad support for israel's defense") == [
        ("insert", 0, "", "ironclad"),
        ("replace", 3, "security", "defense"),
    ]
    assert edits("support for israel's") == [("delete", 3, "security", "")]


def test_a_possessive_is_one_replacement_aligned_with_its_word() -> None:
    families = pd.DataFrame({"family_id": ["f"], "label": ["support for Israel"]})
    frame = occurrences(("f", "ironclad support for israel's security", "d1", "2021-01-01", "S1"))
    out = drift.diff_variants(frame, families, equal=True)
    assert list(zip(out["op"], out["position"], out["removed"], out["added"], strict=True)) == [
        ("insert", 0, "", "ironclad"),
        ("equal", 0, "support for", "support for"),
        ("replace", 2, "israel", "israel's"),
        ("insert", 3, "", "security"),
    ]


def test_a_variant_worded_like_the_label_has_no_edits_but_can_show_its_words() -> None:
    assert edits("support for israel's security") == []
    assert edits("support for israel's security", equal=True) == [
        ("equal", 0, "support for israel's security", "support for israel's security")
    ]
    hyphens = pd.DataFrame({"family_id": ["f"], "label": ['"De-escalate" tensions']})
    frame = occurrences(("f", "deescalate tensions", "d1", "2021-01-01", "S1"))
    assert drift.diff_variants(frame, hyphens).empty


def test_diff_names_families_missing_from_the_families_table() -> None:
    frame = occurrences(("g", "x y", "d1", "2021-01-01", "S1"))
    with pytest.raises(SchemaError, match="families g"):
        drift.diff_variants(frame, FAMILIES)


# -- drift scores ----------------------------------------------------------------------------

DRIFTING = occurrences(
    ("f", "a", "d1", "2021-01-05", "S1"),
    ("f", "a", "d2", "2021-01-06", "S1"),
    ("f", "a", "d3", "2021-02-05", "S1"),
    ("f", "b", "d4", "2021-02-06", "S1"),
    ("f", "c", "d5", "2021-04-01", "S1"),  # March has no use
    ("f", "c", "d6", None, "S1"),
    ("one", "x", "d1", "2021-01-05", "S1"),
    ("one", "y", "d2", "2021-01-09", "S1"),
    ("undated", "x", "d7", None, "S1"),
)


def test_reference_js_divergence_is_right() -> None:
    assert js([1, 0], [0, 1]) == pytest.approx(1.0)
    assert js([0.5, 0.5], [0.5, 0.5]) == 0.0
    # by hand: M = (.75, .25); KL(P|M) = log2(4/3) = .41504; KL(Q|M) = (-.58496 + 1) / 2 = .20752
    assert js([1, 0], [0.5, 0.5]) == pytest.approx((0.415037 + 0.207519) / 2, abs=1e-5)


def test_drift_between_consecutive_periods_is_js_divergence_and_ranked() -> None:
    out = drift.score_drift(DRIFTING, freq="M")
    assert set(out["family_id"]) == {"f"}  # one period only: nothing to compare
    rows = out.set_index("period")
    february, april = rows.loc["2021-02-01"], rows.loc["2021-04-01"]
    assert february["divergence"] == pytest.approx(js([1, 0], [0.5, 0.5]))
    assert (february["n"], february["n_previous"], february["rank"]) == (2, 2, 2)
    assert april["previous_period"] == pd.Timestamp("2021-02-01")  # empty March skipped
    assert april["divergence"] == pytest.approx(1.0)  # no variant in common
    assert (april["n"], april["rank"]) == (1, 1)


def test_family_drift_weighs_each_change_by_its_smaller_period() -> None:
    out = drift.measure_drift(DRIFTING, freq="M").set_index("family_id")
    expected = (js([1, 0], [0.5, 0.5]) * 2 + 1.0 * 1) / 3
    assert out.loc["f", "drift"] == pytest.approx(expected)
    assert out.loc["f", "n_periods"] == 3
    assert math.isnan(out.loc["one", "drift"]) and out.loc["one", "n_periods"] == 1
    assert math.isnan(out.loc["undated", "drift"]) and out.loc["undated", "n_periods"] == 0
    steady = drift.measure_drift(DRIFTING.assign(variant="same"), freq="M")
    assert steady.set_index("family_id").loc["f", "drift"] == 0.0


def test_add_drift_fills_the_families_column_without_touching_the_input() -> None:
    families = pd.DataFrame({"family_id": ["undated", "f", "absent"], "label": ["u", "f", "z"]})
    out = drift.add_drift(families, DRIFTING, freq="M")
    assert "drift" not in families.columns
    assert list(out.columns) == ["family_id", "label", "drift"]
    assert out["drift"].iloc[1] == pytest.approx((js([1, 0], [0.5, 0.5]) * 2 + 1.0) / 3)
    assert out["drift"].iloc[[0, 2]].isna().all()


# -- slot fillers ----------------------------------------------------------------------------


def test_no_slots_give_no_fillers() -> None:
    slots = pd.DataFrame(columns=["family_id", "pattern", "filler", "n_occurrences", "n_docs"])
    frame = occurrences(("f", "ironclad support for israel", "d1", "2021-01-05", "S1"))
    assert drift.count_slot_fillers(frame, slots, freq="M").empty


def test_slot_fillers_are_counted_per_period() -> None:
    slots = pd.DataFrame(
        {
            "family_id": ["f"] * 3,
            "pattern": ["_ support for israel"] * 3,
            "filler": ["ironclad", "strong", ""],
            "n_occurrences": [2, 1, 1],
            "n_docs": [2, 1, 1],
        }
    )
    frame = occurrences(
        ("f", "ironclad support for israel", "d1", "2021-01-05", "S1"),
        ("f", "ironclad support for israel", "d2", "2021-02-05", "S1"),
        ("f", "strong support for israel", "d3", "2021-02-06", "S1"),
        ("f", "support for israel", "d4", "2021-02-07", "S1"),
        ("f", "support for israel's security", "d5", "2021-02-07", "S1"),  # not this pattern
    )
    out = drift.count_slot_fillers(frame, slots, freq="M")
    got = {
        (str(p.date()), f): (n, s)
        for p, f, n, s in out[["period", "filler", "n_mentions", "share"]].itertuples(index=False)
    }
    third = pytest.approx(1 / 3)
    assert got == {
        ("2021-01-01", "ironclad"): (1, 1.0),
        ("2021-02-01", "ironclad"): (1, third),
        ("2021-02-01", "strong"): (1, third),
        ("2021-02-01", ""): (1, third),
    }


# -- officials -------------------------------------------------------------------------------


def two_by_two() -> pd.DataFrame:
    """Blinken says x three times and y once; Price the other way round."""
    rows = [("x", "Blinken")] * 3 + [("y", "Blinken")] + [("x", "Price")] + [("y", "Price")] * 3
    return occurrences(
        *[("f", v, f"d{i}", "2021-01-01", "S", p) for i, (v, p) in enumerate(rows)],
        ("f", "x", "d9", "2021-01-01", "S", None),  # unknown: left out of the comparison
    )


def test_signature_log_odds_on_a_two_by_two_table() -> None:
    out = drift.score_signatures(two_by_two(), prior_strength=2.0)
    row = out.set_index(["principal", "variant"])
    # prior: x and y are pooled 4 and 4, so alpha = 1 each and alpha0 = 2.
    # Blinken x: log(4 / 2) - log(2 / 4) = 2 log 2; variance 1/4 + 1/2.
    assert row.loc[("Blinken", "x"), "log_odds"] == pytest.approx(2 * math.log(2))
    assert row.loc[("Blinken", "x"), "z"] == pytest.approx(2 * math.log(2) / math.sqrt(0.75))
    assert row.loc[("Blinken", "y"), "z"] == pytest.approx(-2 * math.log(2) / math.sqrt(0.75))
    assert row.loc[("Price", "y"), "z"] == pytest.approx(row.loc[("Blinken", "x"), "z"])
    assert (row.loc[("Blinken", "x"), "count"], row.loc[("Blinken", "x"), "count_others"]) == (3, 1)
    assert len(out) == 4


def test_signatures_compare_any_number_of_officials_and_need_two_variants() -> None:
    frame = pd.concat(
        [
            two_by_two(),
            occurrences(*[("f", "y", f"e{i}", "2021-01-01", "S", "Austin") for i in range(2)]),
        ]
    )
    out = drift.score_signatures(frame)
    assert set(out["principal"]) == {"Blinken", "Price", "Austin"}
    assert len(out) == 6
    assert out.set_index(["principal", "variant"]).loc[("Austin", "y"), "z"] > 0
    one_variant = frame.assign(variant="x")
    assert drift.score_signatures(one_variant).empty
    by_outlet = drift.score_signatures(frame, by="source")
    assert by_outlet.empty  # one outlet: nothing to compare it with
    with pytest.raises(ValueError, match="prior_strength"):
        drift.score_signatures(frame, prior_strength=0)


def test_compare_officials_lists_each_officials_variants_with_dates_and_scores() -> None:
    frame = two_by_two()
    frame.loc[0, "date"] = pd.Timestamp("2020-12-01")
    out = drift.compare_officials(frame, prior_strength=2.0)
    assert set(out["principal"]) == {"Blinken", "Price"}
    first = out.iloc[0]  # Blinken's signature first
    assert (first["principal"], first["variant"], first["n_mentions"]) == ("Blinken", "x", 3)
    assert first["first_date"] == pd.Timestamp("2020-12-01")
    assert first["last_date"] == pd.Timestamp("2021-01-01")
    assert first["z"] == pytest.approx(2 * math.log(2) / math.sqrt(0.75))


# -- naming a family -------------------------------------------------------------------------

NAMED = pd.DataFrame(
    {
        "family_id": ["support-for-israel", "right-to-defend"],
        "label": ["support for Israel", "right to defend"],
    }
)
NAMED_OCCURRENCES = occurrences(
    ("right-to-defend", "right to defend itself", "d1", "2021-01-01", "S1"),
    ("support-for-israel", "ironclad support for israel", "d1", "2021-01-01", "S1"),
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("right-to-defend", "right-to-defend"),
        ("Support for Israel", "support-for-israel"),
        ("right to defend itself", "right-to-defend"),
    ],
)
def test_a_family_is_found_by_id_label_or_variant(name: str, expected: str) -> None:
    assert drift.find_family(NAMED, name, occurrences=NAMED_OCCURRENCES) == expected


def test_an_unknown_family_is_named_with_close_matches() -> None:
    with pytest.raises(
        PhrasedriftError, match=r"'suport israel'.*did you mean 'support for Israel'"
    ):
        drift.find_family(NAMED, "suport israel")


def test_result_methods_select_the_family_and_use_the_corpus_period() -> None:
    documents = pd.DataFrame({"date": pd.to_datetime(["2021-01-01", "2021-06-30"])})
    frame = DRIFTING.assign(principal=["A", "B", "A", "B", "A", "A", "A", "B", "A"])
    families = pd.DataFrame({"family_id": ["f", "one", "undated"], "label": ["a", "x y", "x"]})
    empty = pd.DataFrame()
    result = Result(
        name="t",
        documents=documents,
        problems=empty,
        removed=empty,
        duplicates=empty,
        sentences=empty,
        tokens=empty,
        config=Config(),
        corpus_hash="0",
        families=families,
        occurrences=frame,
    )
    assert result.period() == "M"  # six months
    timeline = result.timeline("a")
    assert set(timeline["family_id"]) == {"f"}
    assert list(timeline["period"].dt.month) == [1, 2, 2, 4]
    assert set(result.timeline("f", freq="Y")["period"].dt.year) == {2021}
    assert set(result.by_official("f")["principal"]) == {"A", "B"}
    diffs = result.diffs("x y")  # variants x and y of the label "x y"
    assert list(zip(diffs["variant"], diffs["op"], diffs["removed"], strict=True)) == [
        ("x", "delete", "y"),
        ("y", "delete", "x"),
    ]
    with pytest.raises(PhrasedriftError, match="did you mean"):
        result.timeline("zzz")
    # a period named in the config is given by its alias, as the report's labels expect
    by_name = dataclasses.replace(result, config=Config(drift=DriftConfig(freq="decade")))
    assert by_name.period() == "10Y"
    assert set(by_name.timeline("f")["period"].dt.year) == {2020}
