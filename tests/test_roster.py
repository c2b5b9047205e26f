"""Rosters: the file format and its errors, resolving mentions, suggesting a roster."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from phrasedrift import cli
from phrasedrift.clean import clean_documents
from phrasedrift.corpus import load_corpus
from phrasedrift.errors import PhrasedriftError, RosterError
from phrasedrift.roster import (
    Organisation,
    Person,
    Roster,
    Title,
    find_mentions,
    load_roster,
    parse_roster,
    roster_yaml,
    suggest_roster,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_ROSTER = ROOT / "corpora" / "gaza-2021-2023" / "roster.yaml"


def write(tmp_path: Path, text: str, name: str = "roster.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# A small made-up roster: two holders of one title at different dates, a handover day, a
# shared last name, organisations with aliases and a parent.
ROSTER = """
people:
  - name: Antony Blinken
    aliases: [Antony J. Blinken]
    organisation: State Department
    titles:
      - title: Secretary of State
        aliases: [Secretary]
        from: 2021-01-26
        to: 2025-01-20
  - name: Mike Pompeo
    organisation: State Department
    titles:
      - title: Secretary of State
        aliases: [Secretary]
        from: 2018-04-26
        to: 2021-01-20
  - name: Lloyd Austin
    aliases: [Lloyd J. Austin III]
    organisation: Pentagon
    titles:
      - {title: Secretary of Defense, aliases: [Defense Secretary], from: 2021-01-22, to: 2025-01-20}
  - name: Mark Esper
    organisation: Pentagon
    titles:
      - {title: Secretary of Defense, from: 2019-07-23, to: 2020-11-09}
  - name: Jen Psaki
    organisation: White House
    titles:
      - {title: Press Secretary, from: 2021-01-20, to: 2022-05-13}
  - name: Karine Jean-Pierre
    organisation: White House
    titles:
      - {title: Principal Deputy Press Secretary, from: 2021-01-20, to: 2022-05-13}
      - {title: Press Secretary, from: 2022-05-13, to: 2025-01-20}
  - name: John Kirby
    titles:
      - {title: Press Secretary, organisation: Pentagon, aliases: [Spokesperson], from: 2021-01-20, to: 2022-05-20}
  - name: Emily Horne
    organisation: National Security Council
    titles:
      - {title: Spokesperson, from: 2021-01-20, to: 2022-03-25}
  - name: Jake Sullivan
    organisation: National Security Council
    titles:
      - {title: National Security Advisor, from: 2021-01-20, to: 2025-01-20}
  - name: Meir Ben-Shabbat
    titles:
      - {title: Israeli National Security Advisor, from: 2017-08-01, to: 2021-08-31}
  - name: Joe Biden
    titles: [{title: President, organisation: White House, from: 2021-01-20}]
  - name: Jill Biden
    aliases: [First Lady]
organisations:
  - name: United States
    aliases: [the United States, US, U.S.]
  - name: White House
    aliases: [the White House, a White House statement]
    part_of: United States
  - name: National Security Council
    aliases: [NSC]
    part_of: White House
  - name: State Department
    aliases: [the State Department, Department of State]
    part_of: United States
  - name: Pentagon
    aliases: [the Pentagon, Department of Defense]
    part_of: United States
"""


@pytest.fixture(scope="module")
def roster() -> Roster:
    return parse_roster(ROSTER, source="test-roster.yaml")


@pytest.fixture(scope="module")
def sample_roster() -> Roster:
    return load_roster(SAMPLE_ROSTER)


@pytest.fixture(scope="module")
def sample_documents(sample_path: Path) -> pd.DataFrame:
    return clean_documents(load_corpus(sample_path).documents).documents


@pytest.fixture(scope="module")
def suggested(sample_documents: pd.DataFrame) -> Roster:
    return suggest_roster(sample_documents)


# --- the file format ----------------------------------------------------------------------


def test_list_form(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        - name: Ned Price
          aliases: [Edward Price]
          organisation: State Department
          titles:
            - title: Spokesperson
              from: 2021-01-20
              to: "2023-03-31"
        - Jen Psaki
        """,
    )
    roster = load_roster(path)
    assert roster.source == str(path)
    assert roster.organisations == ()
    assert roster.people == (
        Person(
            "Ned Price",
            ("Edward Price",),
            "State Department",
            (Title("Spokesperson", None, dt.date(2021, 1, 20), dt.date(2023, 3, 31)),),
        ),
        Person("Jen Psaki"),
    )


def test_mapping_form_with_organisations(roster: Roster) -> None:
    assert [p.name for p in roster.people][:3] == ["Antony Blinken", "Mike Pompeo", "Lloyd Austin"]
    assert roster.organisations[1] == Organisation(
        "White House", ("the White House", "a White House statement"), "United States"
    )
    biden = roster.person("Joe Biden")
    assert biden is not None
    assert biden.titles == (Title("President", "White House", dt.date(2021, 1, 20), None),)
    assert len(roster) == 12 + 5


def test_organizations_spelling_and_empty_file(tmp_path: Path) -> None:
    roster = load_roster(write(tmp_path, "organizations:\n  - name: UN\npeople:\n"))
    assert roster.people == ()
    assert roster.organisations == (Organisation("UN"),)
    assert load_roster(write(tmp_path, "# nothing yet\n", "empty.yaml")) == Roster.empty()


def test_round_trip_through_yaml(roster: Roster, sample_roster: Roster) -> None:
    assert parse_roster(roster_yaml(roster)) == roster
    assert parse_roster(roster_yaml(sample_roster)) == sample_roster


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "people:\n  - name: A B\n    aliases: x: y\n",
            ["line 3", "invalid YAML", "mapping values are not allowed"],
        ),
        (
            "people:\n  - name: A B\n  - aliases: [C]\n",
            ["line 3", "people entry 2", "no name"],
        ),
        (
            "- name: Ned Price\n  titles:\n    - title: Spokesperson\n      from: May 2021\n",
            [
                "line 4",
                "people entry 1 ('Ned Price')",
                "title 1 ('Spokesperson')",
                "'from' is not a date",
                "May 2021",
            ],
        ),
        (
            "- name: Ned Price\n  titles:\n    - title: Spokesperson\n      to: 2021-02-30\n",
            ["line 4", "people entry 1 ('Ned Price')", "title 1 ('Spokesperson')", "'to'"],
        ),
        (
            "- name: Ned Price\n  titles:\n    - {title: Spokesperson, from: 2023-01-01, to: 2021-01-01}\n",
            ["line 3", "people entry 1 ('Ned Price')", "'from' (2023-01-01) is after 'to'"],
        ),
        (
            "- name: Ned Price\n  alias: [Price]\n",
            ["line 2", "people entry 1 ('Ned Price')", "unknown key 'alias'"],
        ),
        ("- name: yes\n", ["line 1", "people entry 1", "name must be text", "quote it"]),
        (
            "- name: A B\n- name: C D\n  aliases: [a b]\n",
            ["people entry 1 ('A B')", "people entry 2 ('C D')", "'a b'"],
        ),
        (
            "organisations:\n  - name: NSC\n    part_of: White House\n",
            ["organisations entry 1 ('NSC')", "part_of 'White House'"],
        ),
        ("just a string\n", ["line 1", "a list of people"]),
        ("- name: !!python/object/apply:os.getcwd []\n", ["line 1", "invalid YAML"]),
        ("staff:\n  - name: A B\n", ["line 1", "unknown key 'staff'"]),
    ],
)
def test_errors_name_file_entry_and_problem(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RosterError) as error:
        load_roster(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    for part in expected:
        assert part in message
    assert isinstance(error.value, PhrasedriftError)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="no such roster file"):
        load_roster(tmp_path / "nowhere.yaml")


def test_constructor_checks_shared_names() -> None:
    with pytest.raises(RosterError, match="share the name or alias"):
        Roster((Person("Jake Sullivan"), Person("J. Sullivan", aliases=("Jake Sullivan",))))


# --- resolution ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Antony Blinken", "Antony Blinken"),
        ("antony blinken", "Antony Blinken"),
        ("Antony J. Blinken", "Antony Blinken"),  # alias, and middle initial dropped
        ("Antony Q. Blinken", "Antony Blinken"),  # middle initial dropped
        ("Lloyd Austin III", "Lloyd Austin"),
        ("Blinken", "Antony Blinken"),  # last name
        ("Blinken's", "Antony Blinken"),
        ("Mr. Blinken", "Antony Blinken"),  # honorific
        ("Secretary Blinken", "Antony Blinken"),
        ("Secretary of State Antony J. Blinken", "Antony Blinken"),
        ("Ben Shabbat", "Meir Ben-Shabbat"),
        ("Meir Ben Shabbat", "Meir Ben-Shabbat"),
        ("Karine Jean Pierre", "Karine Jean-Pierre"),
        ("Biden", None),  # two people of that last name
        ("Mr. Biden", None),
        ("Joe Biden", "Joe Biden"),
        ("Jill Biden", "Jill Biden"),
        ("Hunter Biden", None),  # a first name is not a title
        ("the Pentagon", "Pentagon"),
        ("Department of Defense", "Pentagon"),
        ("A White House statement", "White House"),
        ("NSC", "National Security Council"),
        ("U.S.", "United States"),
        ("US", "United States"),
        ("us", None),  # an acronym alias matches only in capitals
        ("Wendy Sherman", None),
        ("the Egyptian foreign minister", None),
        ("", None),
    ],
)
def test_resolve_names_and_organisations(
    roster: Roster, mention: str, expected: str | None
) -> None:
    assert roster.resolve(mention) == expected


@pytest.mark.parametrize(
    ("mention", "date", "expected"),
    [
        ("the Secretary of State", "2021-05-12", "Antony Blinken"),
        ("the Secretary of State", "2019-05-12", "Mike Pompeo"),
        ("the secretary", "2021-05-12", "Antony Blinken"),  # title alias, dated with the title
        ("the secretary", "2019-05-12", "Mike Pompeo"),
        ("the Secretary of State", "2021-01-23", None),  # between two terms
        ("the Secretary of State", None, None),  # two holders, no date
        ("the Secretary of Defense", "2022-03-01", "Lloyd Austin"),
        ("the Secretary of Defense", "2020-01-01", "Mark Esper"),
        ("the Defense Secretary", "2022-03-01", "Lloyd Austin"),
        ("US Secretary of Defense", "2022-03-01", "Lloyd Austin"),  # via part_of
        ("Pentagon Press Secretary", "2021-05-12", "John Kirby"),
        ("the Pentagon spokesman", "2021-05-12", "John Kirby"),  # alias, folded gender
        ("White House Press Secretary", "2021-05-12", "Jen Psaki"),
        ("White House Press Secretary", "2022-05-13", "Karine Jean-Pierre"),  # handover day
        ("White House Press Secretary", "2022-06-01", "Karine Jean-Pierre"),
        ("the press secretary", "2021-05-12", None),  # White House or Pentagon
        ("the press secretary", "2022-08-01", "Karine Jean-Pierre"),  # never the deputy
        ("the NSC spokeswoman", "2021-05-12", "Emily Horne"),
        ("the spokeswoman for the National Security Council", "2021-05-12", "Emily Horne"),
        # the NSC is part of the White House, which has no spokesperson of its own here
        ("the White House spokeswoman", "2021-05-12", "Emily Horne"),
        ("the National Security Adviser", "2021-05-12", "Jake Sullivan"),
        ("the Israeli National Security Advisor", "2021-05-12", "Meir Ben-Shabbat"),
        ("the president", "2023-01-01", "Joe Biden"),
        ("the President", pd.Timestamp("2023-01-01"), "Joe Biden"),
        ("the president", dt.date(2020, 1, 1), None),
        ("the president", pd.NaT, "Joe Biden"),
        ("the First Lady", "2023-01-01", "Jill Biden"),  # a person alias, not dated
        ("the vice president", "2023-01-01", None),
    ],
)
def test_resolve_titles_at_a_date(
    roster: Roster, mention: str, date: object, expected: str | None
) -> None:
    assert roster.resolve(mention, date) == expected  # type: ignore[arg-type]


def test_title_of(roster: Roster) -> None:
    assert roster.title_of("Blinken", pd.Timestamp("2022-01-01")) == "Secretary of State"
    assert roster.title_of("Antony Blinken", "2019-01-01") is None
    assert roster.title_of("Jean-Pierre", "2021-06-01") == "Principal Deputy Press Secretary"
    assert roster.title_of("Jean-Pierre", "2022-05-13") == "Press Secretary"  # taken up last
    assert roster.title_of("Karine Jean-Pierre") == "Press Secretary"
    assert roster.title_of("Jill Biden") is None
    assert roster.title_of("nobody") is None


def test_empty_roster_resolves_nothing() -> None:
    empty = Roster.empty()
    assert empty.resolve("Antony Blinken") is None
    assert empty.resolve("the Secretary", "2021-05-12") is None
    assert len(empty) == 0


# --- the sample roster --------------------------------------------------------------------

PEOPLE = {
    "Biden": "Joe Biden",
    "President Biden": "Joe Biden",
    "Blinken": "Antony Blinken",
    "Anthony Blinken": "Antony Blinken",
    "Secretary of State Antony J. Blinken": "Antony Blinken",
    "Sullivan": "Jake Sullivan",
    "Mr. Sullivan": "Jake Sullivan",
    "Austin": "Lloyd Austin",
    "Secretary Austin": "Lloyd Austin",
    "Psaki": "Jen Psaki",
    "Price": "Ned Price",
    "Kirby": "John Kirby",
    "Ryder": "Pat Ryder",
    "Brig. Gen. Pat Ryder": "Pat Ryder",
    "Horne": "Emily Horne",
    "Milley": "Mark Milley",
    "General Mark Milley": "Mark Milley",
    "Sherman": "Wendy Sherman",
    "Netanyahu": "Benjamin Netanyahu",
    "Ashkenazi": "Gabi Ashkenazi",
    "Gabi Ashkenaz I": "Gabi Ashkenazi",
    "Gallant": "Yoav Gallant",
    "Hanegbi": "Tzachi Hanegbi",
    "Ben-Shabbat": "Meir Ben-Shabbat",
    "Meir Ben Shabat": "Meir Ben-Shabbat",
    "Kochavi": "Aviv Kochavi",
    "Lt. Gen. Aviv Kochavi": "Aviv Kochavi",
    "Abbas": "Mahmoud Abbas",
    "Haq": "Farhan Haq",
    "Amr": "Hady Amr",
    "Mohamed bin Abdulrahman Al-Thani": "Mohammed bin Abdulrahman Al Thani",
}

# Title and organisation references of the sample texts, at their documents' dates.
REFERENCES = [
    ("the Secretary", "2021-05-12", "Antony Blinken"),
    ("the secretary", "2021-05-12", "Antony Blinken"),
    ("the prime minister", "2021-05-12", "Benjamin Netanyahu"),
    ("the President", "2021-05-12", "Joe Biden"),
    ("the president", "2021-05-11", "Joe Biden"),
    ("the National Security Adviser", "2021-05-11", "Jake Sullivan"),
    ("the Foreign Minister", "2021-05-12", "Gabi Ashkenazi"),
    ("Pentagon Press Secretary", "2023-05-10", "Pat Ryder"),
    ("Pentagon spokesman", "2021-05-12", "John Kirby"),
    ("US Secretary of Defense", "2023-05-10", "Lloyd Austin"),
    ("US Defense Secretary", "2021-05-12", "Lloyd Austin"),
    ("National Security Advisor", "2023-05-10", "Jake Sullivan"),
    ("US National Security Adviser", "2021-05-12", "Jake Sullivan"),
    ("Israeli National Security Advisor", "2021-05-12", "Meir Ben-Shabbat"),
    ("the deputy United Nations spokesman", "2023-05-10", "Farhan Haq"),
    (
        "the spokeswoman for the United States National Security Council",
        "2021-05-11",
        "Emily Horne",
    ),
    ("White House spokeswoman", "2021-05-11", "Jen Psaki"),
    ("White House Press Secretary", "2021-05-11", "Jen Psaki"),
    ("State Department spokesperson", "2021-05-11", "Ned Price"),
    ("US State Department spokesman", "2021-05-12", "Ned Price"),
    ("Secretary of State", "2021-05-11", "Antony Blinken"),
    ("Deputy Secretary of State", "2021-05-11", "Wendy Sherman"),
    ("Chairman of the US Joint Chiefs of Staff", "2021-05-12", "Mark Milley"),
    ("IDF Chief of Staff", "2021-05-12", "Aviv Kochavi"),
    ("Israel's Foreign Minister", "2021-05-11", "Gabi Ashkenazi"),
    ("Palestinian President", "2021-05-12", "Mahmoud Abbas"),
    ("Palestinian Authority chairman", "2021-05-12", "Mahmoud Abbas"),
    ("Qatari Deputy Prime Minister", "2021-05-12", "Mohammed bin Abdulrahman Al Thani"),
    ("US President", "2021-05-12", "Joe Biden"),
    ("an envoy", "2021-05-12", "Hady Amr"),
    ("the White House", "2021-05-11", "White House"),
    ("A White House statement", "2021-05-12", "White House"),
    ("the Pentagon", "2023-05-10", "Pentagon"),
    ("the State Department", "2021-05-12", "State Department"),
    ("The U.S. mission to the United Nations", "2021-05-11", "U.S. Mission to the United Nations"),
    ("the Biden administration", "2021-05-11", "Biden administration"),
]


@pytest.mark.parametrize(("mention", "expected"), sorted(PEOPLE.items()))
def test_sample_roster_resolves_every_person(
    sample_roster: Roster, mention: str, expected: str
) -> None:
    assert sample_roster.resolve(mention) == expected


@pytest.mark.parametrize(("mention", "date", "expected"), REFERENCES)
def test_sample_roster_resolves_the_titles_of_the_texts(
    sample_roster: Roster, mention: str, date: str, expected: str
) -> None:
    assert sample_roster.resolve(mention, date) == expected


def test_sample_roster_resolves_titles_by_date(sample_roster: Roster) -> None:
    assert sample_roster.resolve("Pentagon Press Secretary", "2021-05-12") == "John Kirby"
    assert sample_roster.resolve("the prime minister", "2022-09-01") == "Yair Lapid"
    assert sample_roster.resolve("the prime minister", "2023-05-10") == "Benjamin Netanyahu"
    assert sample_roster.resolve("the president", "2019-05-12") == "Donald Trump"
    assert sample_roster.resolve("Israeli National Security Advisor", "2023-05-10") == (
        "Tzachi Hanegbi"
    )
    assert sample_roster.resolve("A UN spokesman", "2023-05-10") is None  # the deputy is not


def test_sample_corpus_is_not_read_as_a_document(sample_path: Path) -> None:
    assert "roster" not in " ".join(load_corpus(sample_path).documents["path"])


# --- suggesting a roster ------------------------------------------------------------------

EXPECTED = {
    "Antony Blinken": "Secretary of State",
    "Jake Sullivan": "National Security Advisor",
    "Lloyd Austin": "Secretary of Defense",
    "Ned Price": "State Department Spokesperson",
    "Jen Psaki": "White House Press Secretary",
    "Pat Ryder": "Pentagon Press Secretary",
    "John Kirby": "Pentagon Spokesman",
    "Emily Horne": "Spokeswoman for the United States National Security Council",
}


def test_suggest_finds_the_officials_of_the_sample(suggested: Roster) -> None:
    people = {p.name: p for p in suggested.people}
    for name, title in EXPECTED.items():
        assert name in people, name
        titles = " / ".join(t.title for t in people[name].titles)
        assert title.split()[-1].lower() in titles.lower(), (name, titles)
    blinken = people["Antony Blinken"]
    assert {"Antony J. Blinken", "Blinken", "Anthony Blinken"} <= set(blinken.aliases)
    assert "Secretary of State" in [t.title for t in blinken.titles]
    assert [t.title for t in people["Jake Sullivan"].titles] == ["National Security Advisor"]
    assert [t.title for t in people["Pat Ryder"].titles] == ["Pentagon Press Secretary"]
    assert "Gabi Ashkenaz" in people["Gabi Ashkenazi"].aliases
    assert "Meir Ben Shabat" in people["Meir Ben-Shabbat"].aliases
    for other in ("Farhan Haq", "Tzachi Hanegbi", "Yoav Gallant", "Mark Milley", "Wendy Sherman"):
        assert other in people


def test_suggest_proposes_no_place_or_organisation(suggested: Roster) -> None:
    names = {p.name for p in suggested.people}
    assert not names & {"White", "United", "Sheikh Jarrá", "Gaza Strip", "Tel Aviv", "Ben Samuels"}
    assert all(len(p.name.split()) >= 2 for p in suggested.people)
    # each person once: no second entry under another spelling
    keys = [p.name.split()[-1] for p in suggested.people]
    assert len(keys) == len(set(keys))


def test_suggested_dates_are_document_dates(suggested: Roster) -> None:
    sullivan = suggested.person("Jake Sullivan")
    assert sullivan is not None
    (title,) = sullivan.titles
    assert (title.start, title.end) == (dt.date(2021, 5, 11), dt.date(2023, 5, 10))
    # the suggested roster resolves what it found
    assert suggested.resolve("Mr. Sullivan") == "Jake Sullivan"
    assert suggested.resolve("Blinken") == "Antony Blinken"


def test_suggested_yaml_is_a_valid_roster(suggested: Roster) -> None:
    text = roster_yaml(suggested)
    assert text.startswith("# Roster suggested by phrasedrift from 5 document(s)")
    assert parse_roster(text) == suggested


OTHER_TEXTS = [
    "German Chancellor Olaf Scholz said on Thursday that sanctions would continue. Scholz spoke "
    "after meeting French Foreign Minister Catherine Colonna in Berlin.\n"
    '"We stand united," Ms. Colonna told reporters. The European Commission president, '
    "Ursula von der Leyen, said the bloc was ready.\n"
    "Dmitry Peskov, the Kremlin spokesman, said Moscow would respond. Former Secretary of State "
    "Mike Pompeo criticised the plan.",
    "Sen. Chris Murphy, D-Conn., urged restraint. Kremlin spokesman Dmitry Peskov dismissed the "
    "idea, and his British counterpart, James Cleverly, declined to comment. Peskov later added "
    "that talks were over. Crowds gathered in the Gaza Strip and in Tel Aviv; Sheikh Jarrah was "
    "calm. Chancellor Scholz left for Paris on Friday.",
]


def test_suggest_is_general() -> None:
    documents = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "date": pd.to_datetime(["2022-03-03", "2022-03-04"]),
            "text": OTHER_TEXTS,
        }
    )
    roster = suggest_roster(documents)
    people = {p.name: p for p in roster.people}
    assert set(people) == {
        "Olaf Scholz",
        "Catherine Colonna",
        "Ursula von der Leyen",
        "Dmitry Peskov",
        "Mike Pompeo",
        "Chris Murphy",
        "James Cleverly",
    }
    assert [t.title for t in people["Olaf Scholz"].titles] == ["Chancellor"]
    assert people["Olaf Scholz"].titles[0].end == dt.date(2022, 3, 4)
    assert "Scholz" in people["Olaf Scholz"].aliases
    assert [t.title for t in people["Catherine Colonna"].titles] == ["French Foreign Minister"]
    assert [t.title for t in people["Ursula von der Leyen"].titles] == [
        "European Commission President"
    ]
    assert [t.title for t in people["Dmitry Peskov"].titles] == ["Kremlin Spokesman"]
    assert [t.title for t in people["Chris Murphy"].titles] == ["Senator"]
    assert people["Mike Pompeo"].titles == ()  # a former title is not a current one
    assert people["James Cleverly"].titles == ()  # "counterpart" is a role, not a title
    assert roster.resolve("Ms. Colonna") == "Catherine Colonna"


def test_find_mentions_table() -> None:
    documents = pd.DataFrame({"text": ["Mr. Jones met Governor Ann Lee. Lee said nothing."]})
    mentions = find_mentions(documents)
    assert list(mentions.columns) == ["doc_id", "date", "start", "end", "name", "title", "cue"]
    rows = mentions[["name", "title", "cue"]].astype(object).where(mentions.notna(), None)
    assert rows.values.tolist() == [
        ["Jones", None, "honorific"],
        ["Ann Lee", "Governor", "title"],
        ["Lee", None, "name"],
    ]
    text = documents["text"].iloc[0]
    assert [text[s:e] for s, e in zip(mentions["start"], mentions["end"], strict=True)] == [
        "Jones",
        "Ann Lee",
        "Lee",
    ]


# --- the command line ---------------------------------------------------------------------


def test_cli_roster_suggest_prints_a_valid_roster(sample_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "phrasedrift", "roster", "suggest", str(sample_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    roster = parse_roster(done.stdout)
    assert roster.resolve("Secretary Blinken") == "Antony Blinken"
    assert {"Jake Sullivan", "Ned Price", "Pat Ryder"} <= {p.name for p in roster.people}


def test_cli_roster_suggest_writes_and_refuses_to_overwrite(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out" / "roster.yaml"
    assert cli.main(["roster", "suggest", str(sample_path), "-o", str(output)]) == 0
    assert "wrote" in capsys.readouterr().out
    first = output.read_text(encoding="utf-8")
    assert load_roster(output).person("Blinken") is not None
    output.write_text("edited\n", encoding="utf-8")
    assert cli.main(["roster", "suggest", str(sample_path), "-o", str(output)]) == 1
    assert "--force" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "edited\n"
    assert cli.main(["roster", "suggest", str(sample_path), "-o", str(output), "--force"]) == 0
    assert output.read_text(encoding="utf-8") == first
