"""Bad input against the real `kg build` (a subprocess of this venv's console script).

Every case of issue 7 gets one message naming the file (and line, for JSON
Lines) and the reason, is skipped, and the build completes with the others;
the exit status says whether anything was skipped; --strict stops at the first
problem and leaves the output folder as it was.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

KG = Path(sys.executable).with_name("kg")
ARTICLES = Path(__file__).parent / "data" / "articles"
ENV = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Length 44 /Filter /FlateDecode >>\nstream\nx\x9c\x0b\xc9\xc8,V\x00\xa2D"
       b"\x85\x92\xd4\x8a\x12\x00\x00\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
FRENCH = ("Le président de la République a reçu mardi à l'Élysée son homologue marocain pour des "
          "entretiens sur la coopération économique et la sécurité régionale. Les deux chefs "
          "d'État ont signé un accord de partenariat stratégique et ont annoncé la création d'un "
          "comité mixte, selon le ministre des Affaires étrangères.")
ACCRA = ("Ghanaian President John Mahama met Togolese President Faure Gnassingbé in Accra on "
         "3 March 2025. The two leaders signed an agreement on border security.")
DAKAR = ("Senegalese President Bassirou Diomaye Faye received Gambian President Adama Barrow in "
         "Dakar on 12 May 2025. They agreed to open a joint commission on trade.")
LATIN1 = ("Ministers meet in Genève\n\nThe Foreign Minister of Portugal met the Swiss Foreign "
          "Minister in Genève on 4 June 2024, at the Café du Château, to discuss trade.")
CP1252 = ("Leaders talk in Zürich\n\n\u201cWe agreed on the road map,\u201d said the Austrian "
          "Chancellor after he met the Swiss President in Zürich on 9 July 2024 \u2013 a €2bn "
          "plan\u2026")
UTF16 = ("Presidents meet in Asunción\n\nThe President of Paraguay met the President of "
         "Uruguay in Asunción on 2 August 2024 and signed an accord on river transport.")
UNSURE = "Café in Genève".encode() + " and the Café du Château ".encode("latin-1")
HOSTILE_HTML = """<html><head><title>Leaders meet in Accra</title>
<script>alert("PWNED_HEAD")</script></head><body>
<script>document.write("PWNED_BODY")</script><article><h1>Leaders meet in Accra</h1>
<p>Ghanaian President John Mahama met Togolese President Faure Gnassingbé in Accra on 3 March
2025. The two leaders discussed border security and trade across the region.</p>
<script>var t = "PWNED_INLINE";</script>
<p>They signed an agreement on border security and agreed to meet again in Lomé next year,
according to a statement from the presidency.</p></article>
<noscript>PWNED_NOSCRIPT</noscript></body></html>"""
HOSTILE_TEXT = ("Kenyan President William Ruto met Chilean President Gabriel Boric in Nairobi on "
                "3 June 2024 </script><script>alert('XSS_EVIDENCE')</script><img src=x "
                "onerror=alert(1)> to talk about trade.")
ONLY_SCRIPT_HTML = ("<html><head>" + "<script>var a = 'PWNED'; function f() { return 1; }</script>"
                    * 200 + "</head><body>" + "<script>document.write('PWNED')</script>" * 100
                    + "</body></html>")


def kg(*args: object, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Run the real `kg` command; wide, colourless output so messages are one line each."""
    return subprocess.run([*prefix, str(KG), *map(str, args)], capture_output=True, text=True,
                          env=ENV, timeout=600, stdin=subprocess.DEVNULL)


def skipped(stderr: str) -> dict[str, str]:
    """{file name (with ':line' for JSON Lines): reason} of the 'skipped:' lines; each once."""
    found: dict[str, str] = {}
    for line in stderr.splitlines():
        m = re.match(r"skipped: (.+?)(:\d+)?: (.*)$", line)
        if m:
            key = Path(m[1]).name + (m[2] or "")
            assert key not in found, f"{key} reported twice"
            found[key] = m[3]
    return found


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("WARNING ")]


def articles_of(out: Path) -> set[str]:
    """The sources of the articles the built graph holds, asked through `kg query`."""
    proc = kg("query", out, "SELECT ?a WHERE { ?a a dg:Article }", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    iris = {row["a"] for row in json.loads(proc.stdout)}
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["articles"]
    assert {iri.rsplit("/", 1)[-1] for iri in iris} == set(manifest), "graph and manifest agree"
    return {Path(e["source"]).name for e in manifest.values()}


def tree(folder: Path) -> dict[str, str]:
    """Every path under `folder` -> a hash of its bytes (or its link target)."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _messy(src: Path) -> None:
    """A folder with two good articles and every kind of bad input of issue 7."""
    src.mkdir()
    shutil.copy(ARTICLES / "lisbon_visit.txt", src / "lisbon.txt")
    shutil.copy(ARTICLES / "nairobi_talks.txt", src / "nairobi.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.md").write_bytes(b"  \n\t \r\n   \n")
    (src / "report.pdf").write_bytes(PDF)
    (src / "scan.txt").write_bytes(PDF)  # a PDF saved under a text name
    (src / "photo.png").write_bytes(PNG)
    (src / "photo.html").write_bytes(PNG)
    with zipfile.ZipFile(src / "bundle.zip", "w") as z:
        z.writestr("article.txt", ACCRA)
    (src / "bundle.txt").write_bytes((src / "bundle.zip").read_bytes())
    (src / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    (src / "cp1252.txt").write_bytes(CP1252.encode("cp1252"))
    (src / "utf16.txt").write_bytes(UTF16.encode("utf-16"))  # with its BOM
    (src / "unsure.txt").write_bytes(UNSURE)
    (src / "french.txt").write_text(FRENCH, "utf-8")
    (src / "zz-copy.txt").write_bytes((ARTICLES / "lisbon_visit.txt").read_bytes())  # duplicate
    (src / "scripted.html").write_text(HOSTILE_HTML, "utf-8")
    (src / "only-script.html").write_text(ONLY_SCRIPT_HTML, "utf-8")
    records = [
        json.dumps({"id": "../../escaped", "title": "Leaders meet in Accra", "text": ACCRA}),
        '{"text": "The ministers met in',  # malformed
        json.dumps({"title": "A record without text"}),
        json.dumps({"text": 42}),
        json.dumps({"text": FRENCH}),
        json.dumps({"id": "/etc/passwd", "text": DAKAR}),
        json.dumps({"text": ACCRA, "title": "the same story again"}),  # a duplicate line
        json.dumps({"text": HOSTILE_TEXT}),
    ]
    (src / "feed.jsonl").write_text("\n".join(records) + "\n", "utf-8")
    loop = src / "loops"
    loop.mkdir()
    os.symlink(loop, loop / "again")  # a folder linking to itself
    os.symlink("self.txt", loop / "self.txt")  # a file linking to itself


EXPECTED_SKIPS = {  # file (and line): the start of the reason
    "empty.txt": "empty file", "blank.md": "empty file",
    "report.pdf": "unsupported file type '.pdf'", "scan.txt": "a PDF document, not text",
    "photo.png": "unsupported file type '.png'", "photo.html": "a PNG image, not text",
    "bundle.zip": "unsupported file type '.zip'", "bundle.txt": "a ZIP archive",
    "unsure.txt": "not UTF-8", "french.txt": "not English",
    "only-script.html": "no article text found in the HTML",
    "feed.jsonl:2": "invalid JSON", "feed.jsonl:3": "missing required field 'text'",
    "feed.jsonl:4": "missing required field 'text'", "feed.jsonl:5": "not English",
    "again": "symbolic link loop", "self.txt": "symbolic link loop",
}
EXPECTED_ARTICLES = {"lisbon.txt", "nairobi.txt", "latin1.txt", "cp1252.txt", "utf16.txt",
                     "scripted.html", "feed.jsonl:1", "feed.jsonl:6", "feed.jsonl:8"}


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-input")
    _messy(root / "src")
    proc = kg("build", root / "src", "--out", root / "out")
    return proc, root


def test_every_bad_input_is_named_once_with_its_reason_and_skipped(messy):
    proc, _ = messy
    found = skipped(proc.stderr)
    assert set(found) == set(EXPECTED_SKIPS), proc.stderr
    for name, reason in EXPECTED_SKIPS.items():
        assert found[name].startswith(reason), (name, found[name])


def test_the_build_completes_with_the_others_and_exits_3(messy):
    proc, root = messy
    assert proc.returncode == 3, proc.stderr
    assert re.search(r"skipped inputs\W+17\b", proc.stderr), proc.stderr
    assert articles_of(root / "out") == EXPECTED_ARTICLES


def test_other_encodings_are_decoded_with_one_warning_each(messy):
    proc, _ = messy
    warned = warnings(proc.stderr)
    for name, said in (("latin1.txt", "decoded as Windows-1252"),
                       ("cp1252.txt", "decoded as Windows-1252"),
                       ("utf16.txt", "decoded as UTF-16")):
        lines = [w for w in warned if f"/{name}:" in w]
        assert len(lines) == 1 and said in lines[0], (name, warned)


def test_decoded_text_keeps_its_accents(messy):
    _, root = messy
    proc = kg("query", root / "out", "SELECT ?n WHERE { ?x rdfs:label ?n }", "--format", "json")
    labels = {row["n"] for row in json.loads(proc.stdout)}
    for word in ("Château", "Zürich", "Asunción"):  # from latin1.txt, cp1252.txt, utf16.txt
        assert any(word in label for label in labels), (word, labels)


def test_a_duplicate_is_reported_once_and_counted_once(messy):
    proc, root = messy
    duplicates = [w for w in warnings(proc.stderr) if "same text as" in w]
    assert len(duplicates) == 2, duplicates  # zz-copy.txt, and line 7 of feed.jsonl
    assert any("/zz-copy.txt: same text as" in w and "lisbon.txt" in w for w in duplicates)
    assert any("/feed.jsonl:7: same text as" in w and "feed.jsonl:1" in w for w in duplicates)
    assert re.search(r"articles\W+9\b", proc.stderr), proc.stderr


def test_another_language_is_not_mined(messy):
    _, root = messy
    proc = kg("query", root / "out", "SELECT ?n WHERE { ?x rdfs:label ?n }", "--format", "json")
    labels = {row["n"] for row in json.loads(proc.stdout)}
    assert not any("Élysée" in label or "marocain" in label for label in labels)


def test_script_in_html_never_reaches_the_graph(messy):
    _, root = messy
    out = root / "out"
    for path in [out / "graph.trig", out / "graph.ttl", out / "graph.html",
                 *sorted((out / "extractions").glob("*.json"))]:
        assert "PWNED" not in path.read_text("utf-8"), path


def test_article_text_is_escaped_in_the_page(messy):
    """Evidence holding '</script><script>' stays inside the page's JSON data: it cannot close
    the script element, and nothing of it appears outside the data."""
    _, root = messy
    page = (root / "out" / "graph.html").read_text("utf-8")
    blocks = re.findall(r'<script type="application/json" id="dg-data">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    assert "</script><script>" in json.dumps(json.loads(blocks[0]), ensure_ascii=False)
    outside = page.replace(blocks[0], "")
    assert "XSS_EVIDENCE" not in outside and "onerror=alert" not in outside


def test_ids_from_json_lines_cannot_name_files(messy):
    _, root = messy
    assert sorted(p.name for p in root.iterdir()) == ["out", "src"]
    names = [p.name for p in (root / "out" / "extractions").iterdir()]
    assert names and all(re.fullmatch(r"[0-9a-f]{16}\.json", n) for n in names), names
    assert not any("escaped" in p or "passwd" in p for p in tree(root / "out"))


def test_strict_stops_at_the_first_problem_and_leaves_out_as_it_was(messy, tmp_path):
    _, root = messy
    out = tmp_path / "out"
    shutil.copytree(root / "out", out, symlinks=True)
    before = tree(out)
    proc = kg("build", root / "src", "--out", out, "--strict")
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "blank.md: empty file" in errors[0], proc.stderr  # first read
    assert "--strict: stopped at the first problem" in proc.stderr
    assert "skipped:" not in proc.stderr
    assert tree(out) == before
    fresh = tmp_path / "never-built"
    assert kg("build", root / "src", "--out", fresh, "--strict").returncode == 1
    assert not fresh.exists()


def test_strict_on_clean_input_builds(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ARTICLES / "lisbon_visit.txt", src)
    proc = kg("build", src, "--out", tmp_path / "out", "--strict", "--no-html")
    assert proc.returncode == 0, proc.stderr
    assert articles_of(tmp_path / "out") == {"lisbon_visit.txt"}


def test_nothing_readable_exits_1_and_leaves_the_previous_graph(messy, tmp_path):
    _, root = messy
    out = tmp_path / "out"
    shutil.copytree(root / "out", out, symlinks=True)
    before = tree(out)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "french.txt").write_text(FRENCH, "utf-8")
    proc = kg("build", bad, "--out", out)
    assert proc.returncode == 1, proc.stderr
    assert set(skipped(proc.stderr)) == {"empty.txt", "french.txt"}
    assert "no article could be read" in proc.stderr and "left as it was" in proc.stderr
    assert tree(out) == before


def _peak_rss_kb(*args: object) -> tuple[int, int, str]:
    """Run `kg ARGS` as the only child of a fresh Python: (peak RSS in KiB, exit code, stderr)."""
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)")
    proc = subprocess.run([sys.executable, "-c", code, str(KG), *map(str, args)],
                          capture_output=True, text=True, env=ENV, timeout=600)
    rss, status = proc.stdout.split()
    return int(rss), int(status), proc.stderr


def test_huge_files_are_refused_in_bounded_memory(tmp_path):
    """A 50 MB file and 50 MB / 5 MB single lines: refused by the documented limits, and the
    build's peak memory stays far below the size of what it refused."""
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    (small / "empty.txt").write_bytes(b"")
    line = "The ministers met in Baku and signed an agreement. " * 20
    with open(big / "huge.txt", "w", encoding="utf-8") as f:  # 50 MB of article text
        for _ in range(50_000_000 // len(line)):
            f.write(line + "\n")
    (big / "one-line.txt").write_text(line.strip() * (5_000_000 // len(line)), "utf-8")
    with open(big / "huge.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"text": "x" * 50_000_000}) + "\n")  # one 50 MB line
        f.write(json.dumps({"text": line * (5_000_000 // len(line))}) + "\n")  # one 5 MB line
    base, _, _ = _peak_rss_kb("build", small, "--out", tmp_path / "o1")
    peak, status, stderr = _peak_rss_kb("build", big, "--out", tmp_path / "o2")
    assert status == 1 and "no article could be read" in stderr, stderr
    found = skipped(stderr)
    assert found["huge.txt"].startswith("file over 10,000,000 bytes, the limit for one article "
                                        "(KG_MAX_FILE_BYTES): not read"), found
    assert found["huge.jsonl:1"].startswith("line over 10,000,000 bytes"), found
    assert re.match(r"article of 4,9\d\d,\d{3} characters, over the limit of 1,000,000 "
                    r"\(KG_MAX_ARTICLE_CHARS\)", found["huge.jsonl:2"]), found
    assert "KG_MAX_ARTICLE_CHARS" in found["one-line.txt"], found
    assert peak - base < 40_000, (base, peak)  # KiB: far below the 50 MB refused


def test_limits_are_settings(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ARTICLES / "lisbon_visit.txt", src)
    env = {**ENV, "KG_MAX_ARTICLE_CHARS": "100"}
    proc = subprocess.run([str(KG), "build", str(src), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 1
    assert "over the limit of 100 (KG_MAX_ARTICLE_CHARS)" in proc.stderr
    env = {**ENV, "KG_MAX_FILE_BYTES": "lots"}
    proc = subprocess.run([str(KG), "build", str(src), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 1 and "KG_MAX_FILE_BYTES='lots'" in proc.stderr


def _without_root_powers() -> tuple[str, ...]:
    """A command prefix under which file permissions hold: none for a normal user; for root,
    setpriv dropping the capabilities that bypass them (skip the test if that fails)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    prefix = (setpriv or "setpriv", "--inh-caps=-all",
              "--bounding-set=-dac_override,-dac_read_search")
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"kg-probe-{os.getpid()}"
    probe.write_text("x")
    probe.chmod(0)
    try:
        denied = setpriv is not None and subprocess.run(
            [*prefix, "cat", str(probe)], capture_output=True).returncode != 0
    finally:
        probe.unlink()
    if not denied:
        pytest.skip("running as root and setpriv cannot drop CAP_DAC_OVERRIDE here, so no file "
                    "can be made unreadable")
    return prefix


def test_an_unreadable_file_is_named_and_skipped(tmp_path):
    prefix = _without_root_powers()
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ARTICLES / "lisbon_visit.txt", src)
    locked = src / "locked.txt"
    locked.write_text(ACCRA, "utf-8")
    locked.chmod(0)
    secret = src / "secret"
    secret.mkdir()
    (secret / "inside.txt").write_text(DAKAR, "utf-8")
    secret.chmod(0)
    try:
        proc = kg("build", src, "--out", tmp_path / "out", "--no-html", prefix=prefix)
    finally:
        locked.chmod(0o644)
        secret.chmod(0o755)
    assert proc.returncode == 3, proc.stderr
    found = skipped(proc.stderr)
    assert found == {"locked.txt": "cannot read: Permission denied",
                     "secret": "cannot list folder: Permission denied"}, proc.stderr
    assert articles_of(tmp_path / "out") == {"lisbon_visit.txt"}


def test_a_file_name_with_markup_is_printed_as_it_is(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ARTICLES / "lisbon_visit.txt", src)
    (src / "[bold]x[link=http:evil].txt").write_bytes(b"")
    proc = kg("build", src, "--out", tmp_path / "out", "--no-html")
    assert proc.returncode == 3, proc.stderr
    assert "[bold]x[link=http:evil].txt: empty file" in proc.stderr


UNSAFE_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib", "cloudpickle"}
UNSAFE_BUILTINS = {"eval", "exec", "compile", "__import__"}
UNSAFE_METHODS = {("os", "system"), ("os", "popen"), ("yaml", "unsafe_load"),
                  ("yaml", "full_load"), ("yaml", "load_all")}


def test_nothing_untrusted_is_unpickled_or_evaluated():
    """No module of kg imports a deserialiser that runs code (pickle and kin), calls eval,
    exec, os.system or an unsafe YAML loader, or starts a shell; yaml.load only with SafeLoader."""
    import ast

    problems = []
    for path in sorted((Path(__file__).resolve().parents[1] / "kg").rglob("*.py")):
        tree_ = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree_):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                problems += [f"{where} imports {n}" for n in names
                             if n.split(".")[0] in UNSAFE_MODULES]
            elif isinstance(node, ast.Call):
                fn = node.func
                if isinstance(fn, ast.Name) and fn.id in UNSAFE_BUILTINS:
                    problems.append(f"{where} calls {fn.id}")
                owner = getattr(fn.value, "id", "") if isinstance(fn, ast.Attribute) else ""
                if isinstance(fn, ast.Attribute) and (owner, fn.attr) in UNSAFE_METHODS:
                    problems.append(f"{where} calls {owner}.{fn.attr}")
                if (owner, getattr(fn, "attr", "")) == ("yaml", "load") and \
                        "SafeLoader" not in ast.unparse(node):
                    problems.append(f"{where} calls yaml.load without SafeLoader")
                if any(k.arg == "shell" and getattr(k.value, "value", False) for k in
                       node.keywords):
                    problems.append(f"{where} starts a shell")
    assert problems == []
