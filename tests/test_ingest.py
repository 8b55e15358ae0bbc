"""Tests of kg.ingest: files and folders -> Articles, dates, titles, identity, bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import (
    SUPPORTED_SUFFIXES,
    content_id,
    date_of_line,
    find_published,
    guess_title,
    iter_articles,
    parse_date,
    read_file,
    read_path,
    strip_markdown,
)
from kg.model import Article

DATA = Path(__file__).parent / "data" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV = SHARED / "eval" / "dev"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def collect(paths: list[str | Path]) -> tuple[list[Article], list[InputError]]:
    errors: list[InputError] = []
    return list(iter_articles(paths, on_error=errors.append)), errors


# --- formats -------------------------------------------------------------------------

def test_folder_is_read_recursively_in_sorted_order_reporting_other_files() -> None:
    articles, errors = collect([DATA])
    assert [a.source for a in articles] == [
        f"{DATA}/batch.jsonl:1", f"{DATA}/batch.jsonl:2", f"{DATA}/nested/wire.txt",
        f"{DATA}/notes.md", f"{DATA}/page.html", f"{DATA}/visit.txt",
    ]  # visit.url is a sidecar; logo.png is reported, not read
    assert [(e.path.name, e.reason.split(";")[0]) for e in errors] == [
        ("logo.png", "unsupported file type '.png'")]


def test_txt_with_sidecar_url_title_and_date_line() -> None:
    [article] = read_path(DATA / "visit.txt")
    assert article.source == str(DATA / "visit.txt")
    assert article.url == "https://example.org/news/trade-corridor"
    assert article.title == "Leaders agree on new trade corridor"
    assert article.published == "2024-03-05"  # not the event date of the last sentence
    assert article.text.startswith("Leaders agree") and article.text.endswith("on transit.")
    assert article.id == content_id(article.text)


def test_markdown_is_lightly_stripped() -> None:
    [article] = read_path(DATA / "notes.md")
    assert article.title == "Summit ends with joint declaration"
    assert article.published == "2024-03-03"
    assert "the Northern Alliance adopted a joint declaration" in article.text
    for syntax in ("#", "**", "](", "![", "`", "_Posted"):
        assert syntax not in article.text


@pytest.mark.parametrize(("markdown", "plain"), [
    ("## Heading ##", "Heading"),
    ("a **bold** and __strong__ and *em* and _em_ word", "a bold and strong and em and em word"),
    ("see [the report](https://x.org/r) and [ref][1]", "see the report and ref"),
    ("snake_case_name and 2 * 3 * 4 stay", "snake_case_name and 2 * 3 * 4 stay"),
    ("> quoted", "quoted"),
])
def test_strip_markdown(markdown: str, plain: str) -> None:
    assert strip_markdown(markdown) == plain


def test_html_boilerplate_removed_and_metadata_used() -> None:
    [article] = read_path(DATA / "page.html")
    assert article.title == "Ministers meet in Geneva"
    assert article.published == "2024-03-05"
    assert article.url == "https://example.org/geneva"
    assert "counterpart from Freedonia" in article.text
    for boilerplate in ("Home", "Sport", "Subscribe", "Copyright"):
        assert boilerplate not in article.text


def test_html_without_metadata_date_falls_back_to_text(tmp_path: Path) -> None:
    body = ("<p>Published: 30 July 2024</p><p>" + "The two foreign ministers met in Doha. " * 5
            + "</p><p>They signed a memorandum on visas and agreed to meet again.</p>")
    path = write(tmp_path / "a.htm", f"<html><body><article>{body}</article></body></html>")
    [article] = read_path(path)
    assert article.published == "2024-07-30"


def test_jsonl_fields_and_sources() -> None:
    first, second = read_path(DATA / "batch.jsonl")
    assert first.title == "Ruritania joins the customs union"
    assert first.url == "https://example.org/cu"
    assert first.published == "2023-11-02"
    assert first.source.endswith("batch.jsonl:1")
    assert second.published == "2022-01-15"  # from the leading date marker
    assert second.text == "Freedonia and Ruritania restored diplomatic relations."
    assert second.title is None


def test_jsonl_bad_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "Good article number one about a treaty."}),
        '{"text": "unterminated',
        "",
        json.dumps({"title": "No text here"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Bad date.", "published": "someday"}),
        json.dumps({"text": "Good article number two about a summit.", "published": "2024-05"}),
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    articles, errors = collect([path])
    assert [a.source for a in articles] == [f"{path}:1", f"{path}:7"]
    assert articles[1].published == "2024-05"
    assert [e.line for e in errors] == [2, 4, 5, 6]
    assert "invalid JSON" in errors[0].reason and f"{path}:2" in str(errors[0])
    assert "'text'" in errors[1].reason


def test_jsonl_error_is_raised_without_handler(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.jsonl", '{"text": "fine text"}\n{oops}\n')
    seen: list[Article] = []
    with pytest.raises(InputError) as info:
        seen.extend(iter_articles([path]))
    assert info.value.line == 2
    assert len(seen) == 1


def test_read_file_of_one_file() -> None:
    assert [a.source for a in read_file(DATA / "nested" / "wire.txt")] == [
        str(DATA / "nested" / "wire.txt")]
    assert {".txt", ".md", ".html", ".htm", ".jsonl"} == SUPPORTED_SUFFIXES


# --- errors --------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\r\n ", "empty"),
    ("marker-only.txt", b" date 2024-01-01 \n", "no text"),
    ("image.txt", PNG_HEADER, "a PNG image, not text"),
    ("scan.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document, not text"),
    ("utf16-no-bom.txt", "Talks in Baku".encode("utf-16-le"), "NUL bytes"),
    ("mixed.txt", "Café in Genève".encode() + b" \xe9t\xe9", "mixes UTF-8 with other bytes"),
    ("undefined.txt", b"Talks \x81\x8d in Baku", "not Windows-1252 or Latin-1 either"),
    ("garbled.txt", b"Talks \xa4\xa6\xa8 in Baku", "would not be plain text"),
    ("controls.md", b"\x01\x02\x03\x04abc", "binary"),
    ("blank.jsonl", b"\n\n", "empty"),
    ("empty.html", b"", "empty"),
])
def test_unreadable_files_are_refused(tmp_path: Path, name: str, content: bytes,
                                      reason: str) -> None:
    path = write(tmp_path / name, content)
    articles, errors = collect([path])
    assert articles == []
    [error] = errors
    assert error.path == path and reason in error.reason


def test_missing_and_unsupported_explicit_paths(tmp_path: Path) -> None:
    png = write(tmp_path / "logo.png", PNG_HEADER)
    _, errors = collect([tmp_path / "nope.txt", png])
    assert ["no such file" in e.reason for e in errors] == [True, False]
    assert "unsupported file type '.png'" in errors[1].reason
    with pytest.raises(InputError, match="no such file"):
        list(iter_articles([tmp_path / "nope"]))
    os.mkfifo(tmp_path / "pipe.txt")  # must not block on reading
    _, errors = collect([tmp_path / "pipe.txt"])
    assert [e.reason for e in errors] == ["not a regular file"]
    _, errors = collect([tmp_path])
    assert [(e.path.name, e.reason.split(" (")[0].split(";")[0]) for e in errors] == [
        ("logo.png", "unsupported file type '.png'"), ("pipe.txt", "not a regular file")]


def test_errors_do_not_stop_other_files(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"")
    write(tmp_path / "b.txt", "Ministers met.\n")
    articles, errors = collect([tmp_path])
    assert [a.text for a in articles] == ["Ministers met."]
    assert [e.path.name for e in errors] == ["a.txt"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
def test_encodings_with_bom(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "x.txt", "Ministers meet in Genève\n\nTalks on trade.".encode(encoding))
    [article] = read_path(path)
    assert article.text == "Ministers meet in Genève\n\nTalks on trade."
    assert article.title == "Ministers meet in Genève"


@pytest.mark.parametrize(("encoding", "said"), [
    ("utf-16", "UTF-16"), ("utf-32", "UTF-32"), ("latin-1", "Windows-1252"),
    ("cp1252", "Windows-1252")])
def test_other_encodings_are_decoded_with_a_warning(tmp_path: Path, encoding: str, said: str,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    text = "Ministers meet in Genève\n\nThe Café talks ended in Zürich on Tuesday."
    if encoding == "cp1252":
        text += " \u201cA good day\u201d \u2013 said one\u2026 \u20ac5bn"
    path = write(tmp_path / "x.txt", text.encode(encoding))
    with caplog.at_level("WARNING"):
        [article] = read_path(path)
    assert article.text == text
    assert f"{path}: " in caplog.text and said in caplog.text


def test_utf8_gives_no_encoding_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path / "x.txt", "Ministers meet in Genève.".encode("utf-8-sig"))
    with caplog.at_level("WARNING"):
        read_path(path)
    assert caplog.text == ""


def test_size_limits_are_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.screen import Limits

    assert Limits.from_env() == Limits(10_000_000, 1_000_000)
    body = "The ministers met in Baku and signed an agreement on trade. " * 4
    write(tmp_path / "a.txt", body)
    write(tmp_path / "b.jsonl", json.dumps({"text": body}) + "\n" + json.dumps({"text": "x" * 90})
          + "\n" + json.dumps({"text": "Talks went on."}) + "\n")
    monkeypatch.setenv("KG_MAX_FILE_BYTES", "200")
    monkeypatch.setenv("KG_MAX_ARTICLE_CHARS", "80")
    articles, errors = collect([tmp_path])
    assert [a.text for a in articles] == ["Talks went on."]
    assert [(e.path.name, e.line, e.reason.split(",")[0]) for e in errors] == [
        ("a.txt", None, "file over 200 bytes"), ("b.jsonl", 1, "line over 200 bytes"),
        ("b.jsonl", 2, "article of 90 characters")]
    assert "KG_MAX_FILE_BYTES" in errors[0].reason and "KG_MAX_ARTICLE_CHARS" in errors[2].reason
    monkeypatch.setenv("KG_MAX_FILE_BYTES", "ten")
    from kg.errors import SettingError

    with pytest.raises(SettingError, match="KG_MAX_FILE_BYTES='ten'"):
        collect([tmp_path])


def test_jsonl_must_be_utf8(tmp_path: Path) -> None:
    record = json.dumps({"text": "Ministers met in Genève."}, ensure_ascii=False) + "\n"
    write(tmp_path / "a.jsonl", record.encode("utf-16"))
    write(tmp_path / "b.jsonl", record.encode("latin-1") + record.encode())
    articles, errors = collect([tmp_path])
    assert [a.source for a in articles] == [f"{tmp_path}/b.jsonl:2"]
    assert [(e.path.name, e.line, e.reason.split(";")[0].split(" (")[0]) for e in errors] == [
        ("a.jsonl", None, "UTF-16 or UTF-32 text: JSON Lines must be UTF-8"),
        ("b.jsonl", 1, "not UTF-8")]


FRENCH = ("Le président de la République a reçu mardi à l'Élysée son homologue marocain pour des "
          "entretiens sur la coopération économique et la sécurité régionale. Les deux chefs "
          "d'État ont signé un accord de partenariat stratégique.")


def test_another_language_is_refused_and_short_texts_are_not_judged(tmp_path: Path) -> None:
    from kg.errors import NotEnglishError

    write(tmp_path / "fr.txt", FRENCH)
    write(tmp_path / "zh.txt", "中国国家主席周二在北京会见了来访的阿塞拜疆总统，"
          "双方签署了全面战略伙伴关系联合声明，并就经贸合作和地区安全交换了意见。" * 4)
    write(tmp_path / "short.txt", "Macron reçu à Rabat.")
    write(tmp_path / "mixed.txt", "The French president said: \u00ab" + FRENCH + "\u00bb The "
          "two leaders then met the press in Rabat and spoke about the new agreement, which "
          "both of them called a turning point for the relations of their countries.")
    articles, errors = collect([tmp_path])
    assert sorted(Path(a.source).name for a in articles) == ["mixed.txt", "short.txt"]
    assert [e.path.name for e in errors] == ["fr.txt", "zh.txt"]
    assert all(isinstance(e, NotEnglishError) and "not English" in e.reason for e in errors)


def test_broken_and_looping_file_links_are_named(tmp_path: Path) -> None:
    os.symlink(tmp_path / "self.txt", tmp_path / "self.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "broken.txt")
    _, errors = collect([tmp_path])
    assert [(e.path.name, e.reason.split(" (")[0]) for e in errors] == [
        ("broken.txt", "broken symbolic link"), ("self.txt", "symbolic link loop")]


def test_crlf_is_normalised(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"Title here\r\n\r\nBody text.\r\n")
    [article] = read_path(path)
    assert article.text == "Title here\n\nBody text."


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_bytes_give_articles_or_input_errors(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "fuzz.txt", data)
    try:
        articles = read_path(path)
    except InputError:
        return
    assert len(articles) == 1 and articles[0].text.strip() == articles[0].text


# --- identity ------------------------------------------------------------------------

def test_renamed_copy_is_one_article(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "Leaders meet\n\nThe presidents met in Astana."
    write(tmp_path / "a.txt", text)
    write(tmp_path / "sub" / "copy.md", "  Leaders   meet\n\nThe presidents met in Astana.\n")
    write(tmp_path / "z.jsonl", json.dumps({"text": " date 2024-07-03 " + text}))
    with caplog.at_level("INFO", logger="kg.ingest"):
        articles, errors = collect([tmp_path, tmp_path / "a.txt"])
    assert errors == []
    assert [a.source for a in articles] == [str(tmp_path / "a.txt")]
    assert caplog.text.count("same text as") == 2 and "2 duplicate" in caplog.text
    assert "copy.md: same text as" in caplog.text and "z.jsonl:1: same text as" in caplog.text


def test_content_id_normalisation() -> None:
    assert content_id("Caf\u00e9  met\n\nthere ") == content_id("Cafe\u0301 met there")
    assert content_id("a b") != content_id("a c")
    assert len(content_id("x")) == 16 and int(content_id("x"), 16) >= 0


def test_symlink_loops_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "Talks held in Baku.")
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    os.symlink(tmp_path, tmp_path / "d" / "up")
    articles, errors = collect([tmp_path])
    assert [a.text for a in articles] == ["Talks held in Baku."]
    assert [(e.path.name, e.reason.split(":")[0]) for e in errors] == [
        ("loop", "symbolic link loop"), ("up", "symbolic link loop")]


def test_import_does_no_heavy_work() -> None:
    code = "import sys, kg.ingest; assert 'trafilatura' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


# --- dates and titles ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "published", "body"), [
    (" date 2024-07-03 BAKU, Azerbaijan, July 3. Relations are good.", "2024-07-03",
     "BAKU, Azerbaijan, July 3. Relations are good."),
    (" date 2022-11-17\nParliament ratifies border deal\n\nThe vote was 64 to 19.", "2022-11-17",
     "Parliament ratifies border deal\n\nThe vote was 64 to 19."),
    ("date 2024-02-30 Bad marker stays.", None, "date 2024-02-30 Bad marker stays."),
])
def test_date_marker_is_taken_and_removed(tmp_path: Path, text: str, published: str | None,
                                          body: str) -> None:
    [article] = read_path(write(tmp_path / "x.txt", text))
    assert (article.published, article.text) == (published, body)


@pytest.mark.parametrize(("line", "iso"), [
    ("Thursday March 28, 2024", "2024-03-28"),
    ("Thursday, July 20, 2017 ", "2017-07-20"),
    ("Published: 30 July 2024", "2024-07-30"),
    ("General News of Monday, 16 October 2017", "2017-10-16"),
    ("2019-12-04 18:22:42", "2019-12-04"),
    ("Xinhua) 18:01, March 26, 2023", "2023-03-26"),
    ("Posted on Sept. 3rd, 2024 by Staff Reporter", "2024-09-03"),
    ("Last updated 12.03.2024 10:00 GMT", "2024-03-12"),
    ("March 2024", "2024-03"),
    ("HANOI, Dec 13 2025 — Vietnam's Prime Minister held a call with his counterpart.",
     "2025-12-13"),
    ("WASHINGTON, March 3, 2024 (Reuters) - The two leaders met.", "2024-03-03"),
    ("BELGRADE (UrduPoint News / Sputnik - 29th July, 2021) Leaders signed it.", "2021-07-29"),
    ("BAKU, Azerbaijan, April 21, 2025. The president said.", "2025-04-21"),
    ("On 6 May 2024, the Minister of Foreign Affairs was in Estonia.", None),
    ("On 6 May 2024", None),
    ("Talks were held on 6 May 2024.", None),
    ("Minister Visits Ghana On 6 May 2024", None),
    ("The summit of 6 May 2024", None),
    ("BAKU, Azerbaijan, April 21. The president said.", None),
    ("Ruritania joined in 2001.", None),
    ("Thursday 31 February 2024", "2024-02"),  # an impossible day: only the month is sure
])
def test_date_of_line(line: str, iso: str | None) -> None:
    assert date_of_line(line) == iso


def test_find_published_looks_only_at_the_first_lines() -> None:
    head = "Title\n\nSubtitle\n\nBy Staff\n\n"
    assert find_published(head + "Published: 1 June 2024\n\nBody.") == "2024-06-01"
    filler = "".join(f"Paragraph {i} of the story.\n\n" for i in range(6))
    assert find_published(filler + "Published: 1 June 2024") is None


@pytest.mark.parametrize(("value", "iso"), [
    ("2024-03-05T10:00:00Z", "2024-03-05"), ("2024-03", "2024-03"), ("2024", "2024"),
    ("16 October 2017", "2017-10-16"), ("04/12/2019", "2019"), ("12/25/2019", "2019-12-25"),
    ("2024-13", None), ("someday", None), ("2024-02-30", None),
])
def test_parse_date(value: str, iso: str | None) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize(("text", "title"), [
    ("Leaders meet in Baku\n\nThe presidents met.", "Leaders meet in Baku"),
    ("Is peace near?\nThe talks resumed.", "Is peace near?"),
    ("Thursday, July 20, 2017\nMinisters meet in Mendoza\nThe meeting began.",
     "Ministers meet in Mendoza"),
    ("The presidents met in Baku.\nThey signed a treaty.", None),
    ("Leaders meet in Baku", None),
    ("x" * 200 + "\nBody.", None),
    ("Dear colleagues,\nThe meeting is postponed.", None),
])
def test_guess_title(text: str, title: str | None) -> None:
    assert guess_title(text) == title


def test_title_is_not_guessed_for_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", json.dumps({"text": "Headline\nBody text."}))
    assert read_path(path)[0].title is None


# --- development set -----------------------------------------------------------------

@pytest.mark.skipif(not (DEV / "texts").is_dir(), reason=f"development set not found at {DEV}")
def test_dev_set_published_dates() -> None:
    articles = read_path(DEV / "texts")
    assert articles, "no article read from the development set"
    got = {Path(a.source).stem: a.published for a in articles}
    gold = {p.stem: json.loads(p.read_text(encoding="utf-8"))["published"]
            for p in (DEV / "gold").glob("*.json")}
    assert got == {stem: gold[stem] for stem in got}
    assert set(got) == set(gold)
    assert all(not a.text.lstrip().startswith("date ") for a in articles)
